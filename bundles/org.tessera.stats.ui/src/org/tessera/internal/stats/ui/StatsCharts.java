// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.FramePart;
import org.tessera.stats.core.FrameStat;
import org.tessera.stats.core.JobStat;
import org.tessera.stats.core.JobStatDay;
import org.tessera.stats.core.RenderTimeLayer;
import org.tessera.stats.core.RenderTimeProject;
import org.tessera.stats.core.ServerStats;
import org.tessera.stats.core.ServerStatsItem;

/**
 * The five charts of the Farm Statistics view, computed from a {@link StatsSnapshot}: frames per
 * 15-minute slot by project, memory, CPU, jobs by state per hour, and render-time history per layer.
 * Each chart takes the best source in the snapshot (daily stats first, then server stats, then a job's
 * frame stats).
 */
public final class StatsCharts {
    /** Projects (or layers) drawn as their own series; the rest are summed into "other". */
    static final int MAX_SERIES = 6;
    private static final int SERVER_SLOTS_PER_DAILY_SLOT = DailyStats.SLOT_MINUTES * 60 / ServerStats.DAY_SECONDS;

    private StatsCharts() {
    }

    /** All five, in the order the view lays them out. */
    public static List<ChartData> all(StatsSnapshot s) {
        return List.of(framesPerSlot(s), jobsByState(s), memory(s), cpu(s), renderTimes(s));
    }

    /** 96 labels: every fourth hour, empty between (readable in a third of the view's width). */
    static List<String> slotLabels() {
        List<String> l = new ArrayList<>(DailyStats.SLOTS);
        for (int i = 0; i < DailyStats.SLOTS; i++) {
            l.add(i % 16 == 0 ? String.format("%02d:00", i / 4) : "");
        }
        return l;
    }

    private static List<String> hourLabels() {
        List<String> l = new ArrayList<>(24);
        for (int h = 0; h < 24; h++) {
            l.add(h % 3 == 0 ? String.format("%02d", h) : "");
        }
        return l;
    }

    private static double[] perSlot(JobStatDay d, ToDoubleFunction<JobStat> value) {
        double[] v = new double[DailyStats.SLOTS];
        for (int i = 0; i < Math.min(DailyStats.SLOTS, d.timeSlotCount()); i++) {
            v[i] = Math.max(0, d.getTimeSlot(i).map(value::applyAsDouble).orElse(0.0));
        }
        return v;
    }

    /** Frames rendered per 15-minute slot, stacked by project. */
    public static ChartData framesPerSlot(StatsSnapshot s) {
        String title = "Frames per 15-minute slot";
        DailyStats d = s.daily();
        if (d == null) {
            return ChartData.empty(title, "open a daily stats file");
        }
        List<ChartData.Series> series = topSeries(d.projects().stream()
                .map(p -> new ChartData.Series(p.name(), perSlot(p, JobStat::framesRendered))).toList());
        return new ChartData(title + ", " + d.day(), "time of day", "frames", true, true, slotLabels(), series);
    }

    /** Jobs waiting, idle, rendering, done and disabled, summed over projects; the hour's peak slot. */
    public static ChartData jobsByState(StatsSnapshot s) {
        String title = "Jobs by state";
        DailyStats d = s.daily();
        if (d == null) {
            return ChartData.empty(title, "open a daily stats file");
        }
        String[] names = { "rendering", "waiting", "idle", "done", "disabled" };
        List<ToDoubleFunction<JobStat>> values = List.of(JobStat::jobsRendering, JobStat::jobsWaiting, JobStat::jobsIdle,
                JobStat::jobsDone, JobStat::jobsDisabled);
        List<ChartData.Series> series = new ArrayList<>();
        for (int k = 0; k < names.length; k++) {
            double[] slots = new double[DailyStats.SLOTS];
            for (JobStatDay p : d.projects()) {
                double[] v = perSlot(p, values.get(k));
                for (int i = 0; i < slots.length; i++) {
                    slots[i] += v[i];
                }
            }
            double[] hours = new double[24];
            for (int i = 0; i < slots.length; i++) {
                hours[i / 4] = Math.max(hours[i / 4], slots[i]);
            }
            series.add(new ChartData.Series(names[k], hours));
        }
        return new ChartData(title + " per hour, " + d.day(), "hour", "jobs", true, true, hourLabels(), series);
    }

    /** Memory per frame (daily), else the server's memory (server stats), else per frame of one job. */
    public static ChartData memory(StatsSnapshot s) {
        String title = "Memory";
        if (s.daily() != null) {
            double[] avg = averageOverProjects(s.daily(), JobStat::avMemUsageMB);
            double[] max = new double[DailyStats.SLOTS];
            for (JobStatDay p : s.daily().projects()) {
                double[] v = perSlot(p, JobStat::maxMemUsageMB);
                for (int i = 0; i < max.length; i++) {
                    max[i] = Math.max(max[i], v[i]);
                }
            }
            return new ChartData(title + " per frame", "time of day", "MiB", false, false, slotLabels(),
                    List.of(new ChartData.Series("average", avg), new ChartData.Series("peak", max)));
        }
        if (s.server() != null) {
            return new ChartData(title + " of the server", "time of day", "MiB", false, false, slotLabels(), List.of(
                    new ChartData.Series("machine", serverDay(s.server(), ServerStatsItem::serverMemUsageMachine)),
                    new ChartData.Series("process", serverDay(s.server(), ServerStatsItem::serverMemUsageProcess))));
        }
        if (s.frames() != null) {
            return perFrame(s, title + " per frame of " + s.frames().job(), "MiB", "job memory",
                    f -> f.parts().stream().mapToInt(FramePart::jobMemoryMB).max().orElse(0));
        }
        return ChartData.empty(title, "open daily, server or frame stats");
    }

    /** CPU of the server machine and process (server stats), else the job's CPU per frame. */
    public static ChartData cpu(StatsSnapshot s) {
        String title = "CPU";
        if (s.server() != null) {
            return new ChartData(title + " of the server", "time of day", "%", false, false, slotLabels(), List.of(
                    new ChartData.Series("machine", serverDay(s.server(), ServerStatsItem::cpuMachine)),
                    new ChartData.Series("process", serverDay(s.server(), ServerStatsItem::cpuProcess))));
        }
        if (s.frames() != null) {
            return perFrame(s, title + " per frame of " + s.frames().job(), "%", "job CPU",
                    f -> 100 * f.parts().stream().mapToDouble(FramePart::jobCPU).average().orElse(0));
        }
        return ChartData.empty(title, "open server or frame stats");
    }

    /** Average frame time of the last jobs of each project/layer, oldest job first. */
    public static ChartData renderTimes(StatsSnapshot s) {
        String title = "Render-time history per layer";
        if (s.renderTimes() == null) {
            return ChartData.empty(title, "open a render-times file");
        }
        List<ChartData.Series> series = new ArrayList<>();
        int longest = 0;
        for (RenderTimeProject p : s.renderTimes().projects()) {
            for (RenderTimeLayer l : p.layers()) {
                double[] v = new double[l.timesCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = l.getFrameTime(v.length - 1 - i);
                }
                longest = Math.max(longest, v.length);
                series.add(new ChartData.Series(p.name() + " / " + l.name(), v));
            }
        }
        series = series.stream().sorted(Comparator.comparingInt((ChartData.Series x) -> -x.values().length))
                .limit(MAX_SERIES).toList();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < longest; i++) {
            int ago = longest - 1 - i;
            labels.add(ago % 10 == 0 ? Integer.toString(-ago) : "");
        }
        // right-align shorter histories so the newest job of every layer sits at 0
        List<ChartData.Series> aligned = new ArrayList<>();
        for (ChartData.Series x : series) {
            double[] v = new double[longest];
            System.arraycopy(x.values(), 0, v, longest - x.values().length, x.values().length);
            aligned.add(new ChartData.Series(x.name(), v));
        }
        return new ChartData(title, "jobs ago", "seconds per frame", false, false, labels, aligned);
    }

    private static double[] averageOverProjects(DailyStats d, ToDoubleFunction<JobStat> value) {
        double[] sum = new double[DailyStats.SLOTS];
        int[] n = new int[DailyStats.SLOTS];
        for (JobStatDay p : d.projects()) {
            for (int i = 0; i < Math.min(DailyStats.SLOTS, p.timeSlotCount()); i++) {
                final int idx = i;
                p.getTimeSlot(i).ifPresent(js -> {
                    sum[idx] += value.applyAsDouble(js);
                    n[idx]++;
                });
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] = n[i] == 0 ? 0 : sum[i] / n[i];
        }
        return sum;
    }

    /** The day ring folded into the 96 daily slots (average of the used 90-second slots). */
    static double[] serverDay(ServerStats server, ToDoubleFunction<ServerStatsItem> value) {
        double[] v = new double[DailyStats.SLOTS];
        int[] n = new int[DailyStats.SLOTS];
        int max = Math.min(server.dayMax(), DailyStats.SLOTS * SERVER_SLOTS_PER_DAILY_SLOT);
        for (int i = 0; i < max; i++) {
            if (server.slotUsed(ServerStats.Ring.DAY, i)) {
                int slot = i / SERVER_SLOTS_PER_DAILY_SLOT;
                v[slot] += value.applyAsDouble(server.day(i));
                n[slot]++;
            }
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = n[i] == 0 ? 0 : v[i] / n[i];
        }
        return v;
    }

    private static ChartData perFrame(StatsSnapshot s, String title, String unit, String name, ToDoubleFunction<FrameStat> value) {
        List<FrameStat> frames = s.frames().frames();
        double[] v = new double[frames.size()];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            v[i] = value.applyAsDouble(frames.get(i));
            labels.add(Integer.toString(frames.get(i).frameNrJob()));
        }
        return new ChartData(title, "frame", unit, false, false, labels, List.of(new ChartData.Series(name, v)));
    }

    /** The {@link #MAX_SERIES}-1 biggest series, the rest summed as "other", zero series dropped. */
    static List<ChartData.Series> topSeries(List<ChartData.Series> all) {
        List<ChartData.Series> sorted = all.stream().filter(x -> x.sum() > 0)
                .sorted(Comparator.comparingDouble(ChartData.Series::sum).reversed()).toList();
        if (sorted.size() <= MAX_SERIES) {
            return sorted;
        }
        List<ChartData.Series> top = new ArrayList<>(sorted.subList(0, MAX_SERIES - 1));
        double[] other = new double[sorted.get(0).values().length];
        for (ChartData.Series x : sorted.subList(MAX_SERIES - 1, sorted.size())) {
            for (int i = 0; i < other.length; i++) {
                other[i] += x.values()[i];
            }
        }
        top.add(new ChartData.Series("other", other));
        return top;
    }
}
