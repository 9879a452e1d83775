// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.FramePart;
import org.tessera.stats.core.FrameStat;
import org.tessera.stats.core.FrameStats;
import org.tessera.stats.core.JobStat;
import org.tessera.stats.core.JobStatDay;
import org.tessera.stats.core.RenderTimeHistory;
import org.tessera.stats.core.ServerStats;
import org.tessera.stats.core.ServerStatsItem;

/**
 * A day of a small farm written as a live stats folder in the recorder's layout, through the stats
 * API's encoders: three projects rendering in working hours, the server's CPU and memory, render-time
 * histories of four layers and one job's frame stats. Values are deterministic, so tests can check sums.
 */
final class SampleFarm {
    static final LocalDate DAY = LocalDate.of(2025, 6, 2);
    static final String[] PROJECTS = { "lighthouse", "forest", "canyon" };

    private SampleFarm() {
    }

    /** Frames rendered by project {@code p} in 15-minute slot {@code i}: busy from 08:00 to 20:00. */
    static int frames(int p, int i) {
        return i >= 32 && i < 80 ? 4 + (p + 1) * (1 + (int) (3 + 3 * Math.sin((i + 7 * p) / 5.0))) : 0;
    }

    /** Total frames of the day over all projects. */
    static long totalFrames() {
        long t = 0;
        for (int p = 0; p < PROJECTS.length; p++) {
            for (int i = 0; i < DailyStats.SLOTS; i++) {
                t += frames(p, i);
            }
        }
        return t;
    }

    static Path write(Path folder) throws IOException {
        Files.createDirectories(folder.resolve("daily"));
        Files.createDirectories(folder.resolve("frames"));
        daily().write(folder.resolve("daily").resolve(DAY + ".tds"));
        server().write(folder.resolve("server_stats.db"));
        renderTimes().write(folder.resolve("renderTimes.db"));
        frames().write(folder.resolve("frames").resolve("lighthouse-0042.tfs"));
        return folder;
    }

    static DailyStats daily() {
        List<JobStatDay> projects = new ArrayList<>();
        for (int p = 0; p < PROJECTS.length; p++) {
            List<JobStat> slots = new ArrayList<>();
            for (int i = 0; i < DailyStats.SLOTS; i++) {
                int f = frames(p, i);
                if (i < 28 || i >= 84) {
                    slots.add(JobStat.EMPTY);
                    continue;
                }
                int rendering = f > 0 ? 1 + p % 2 : 0;
                slots.add(new JobStat(true, 6 + p, 8 + p, 2, 1, (i < 60 ? 3 : 1) + p, p == 2 ? 1 : 0, 1,
                        rendering, (i - 28) / 12 + p, f, f, 900 + 300 * p + 5 * (i % 10), 1400 + 350 * p + 9 * (i % 7),
                        60 + 20 * p, 120 + 30 * p, f, Math.max(0, 400 - i * 4)));
            }
            projects.add(new JobStatDay(PROJECTS[p], DailyStats.PROJECTS, slots));
        }
        JobStatDay user = new JobStatDay("wrangler", DailyStats.USERS, projects.get(0).slots());
        JobStatDay app = new JobStatDay("raytracer", DailyStats.APPS, projects.get(1).slots());
        return new DailyStats(DAY, List.of(user), projects, List.of(app));
    }

    static ServerStats server() {
        ServerStats s = ServerStats.create();
        for (int i = 0; i < s.dayMax(); i++) {
            double hour = i * ServerStats.DAY_SECONDS / 3600.0;
            boolean busy = hour >= 8 && hour < 20;
            int cpu = (int) Math.round((busy ? 55 : 8) + 20 * Math.sin(i / 23.0) * (busy ? 1 : 0.2));
            s.set(ServerStats.Ring.DAY, i, new ServerStatsItem(true, 1, busy ? 12 : 0, busy ? 12 : 0, 0, 0, busy ? 1 : 5,
                    busy ? 5 : 0, 0, Math.max(1, cpu / 6), Math.max(0, cpu), 38, 41, busy ? 3 : 0, busy ? 2 : 0, 6,
                    (busy ? 9000 : 4000) + 20 * (i % 50), (busy ? 1800 : 900) + 4 * (i % 40), 8, 16, 120, 4, 75, 300));
        }
        long lastSave = DAY.toEpochDay() * 86400 / ServerStats.DAY_SECONDS + s.dayMax() - 1;
        s.setLastSave(lastSave, 0, 0);
        return s;
    }

    static RenderTimeHistory renderTimes() {
        RenderTimeHistory h = new RenderTimeHistory(0, List.of());
        String[][] layers = { { "lighthouse", "beauty" }, { "lighthouse", "shadows" }, { "forest", "beauty" },
                { "canyon", "volumes" } };
        for (int job = 0; job < 40; job++) {
            for (int l = 0; l < layers.length; l++) {
                int t = 40 + 25 * l + (int) (12 * Math.sin((job + 3 * l) / 4.0)) + job / 2;
                h = h.withJob(layers[l][0], layers[l][1], t, 1_748_000_000L + job * 3600L);
            }
        }
        return h;
    }

    static FrameStats frames() {
        List<FrameStat> frames = new ArrayList<>();
        for (int f = 0; f < 48; f++) {
            List<FramePart> parts = new ArrayList<>();
            for (int p = 0; p < FrameStats.PARTS; p++) {
                parts.add(new FramePart(1200 + 40 * f % 300 + 60 * p, 0.6f + 0.05f * (p % 3), 0.05f, 8));
            }
            frames.add(new FrameStat(1_748_840_000L + 60L * f, 1, 10 + f % 7, f + 1, "node" + (1 + f % 4), 1, parts));
        }
        return new FrameStats("lighthouse-0042", frames);
    }
}
