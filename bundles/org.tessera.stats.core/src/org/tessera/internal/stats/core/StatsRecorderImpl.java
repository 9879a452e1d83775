// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tessera.stats.core.ClientInfo;
import org.tessera.stats.core.ClientInfoEntry;
import org.tessera.stats.core.ClientSlot;
import org.tessera.stats.core.ClientStats;
import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.FramePart;
import org.tessera.stats.core.FrameStat;
import org.tessera.stats.core.FrameStats;
import org.tessera.stats.core.HourlyJobThread;
import org.tessera.stats.core.IpRecord;
import org.tessera.stats.core.JobStat;
import org.tessera.stats.core.JobStatDay;
import org.tessera.stats.core.JobThreadSample;
import org.tessera.stats.core.RenderTimeHistory;
import org.tessera.stats.core.ServerStats;
import org.tessera.stats.core.ServerStats.Ring;
import org.tessera.stats.core.ServerStatsItem;
import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsRecorder;
import org.tessera.stats.core.WolInfo;

/**
 * The recorder's state and file writing, without OSGi: events update in-memory accumulators,
 * {@link #flush()} merges them into the files (each written atomically). Thread-safe.
 */
public final class StatsRecorderImpl implements StatsRecorder {
    private static final String UNKNOWN = "unknown";
    private static final long NODE_ALIVE_MS = 120_000;

    private final Path folder;
    private final ZoneId zone;

    /** job id → (project, user, app). */
    private final Map<String, String[]> jobs = new HashMap<>();
    private final Set<String> runningJobs = new HashSet<>();
    private final Map<LocalDate, Map<String, SlotAccumulator[]>> daily = new HashMap<>();
    private final Map<String, List<FrameStat>> frames = new LinkedHashMap<>();
    private final Set<String> dirtyFrames = new HashSet<>();
    /** job → layer → [sum of frame seconds, frame count]. */
    private final Map<String, Map<String, long[]>> layerTimes = new HashMap<>();
    private final List<Object[]> finishedLayers = new ArrayList<>();
    private final Map<String, NodeState> nodes = new LinkedHashMap<>();
    private final ServerAccumulator server = new ServerAccumulator();
    /** Something happened since the last flush (the server file is written only then). */
    private boolean activity;

    public StatsRecorderImpl(Path folder, ZoneId zone) {
        this.folder = folder;
        this.zone = zone;
    }

    @Override
    public Path folder() {
        return folder;
    }

    private LocalDateTime local(long millis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), zone);
    }

    private String[] jobInfo(String job, String project) {
        return jobs.computeIfAbsent(job, j -> new String[] { nz(project), UNKNOWN, UNKNOWN });
    }

    private static String nz(String s) {
        return s == null || s.isBlank() ? UNKNOWN : s;
    }

    /** The three accumulators (user, project, app) of a job in the slot of {@code millis}. */
    private List<SlotAccumulator> slots(String job, String project, long millis) {
        String[] info = jobInfo(job, project);
        if (project != null && !project.isBlank()) {
            info[0] = project;
        }
        LocalDateTime t = local(millis);
        Map<String, SlotAccumulator[]> day = daily.computeIfAbsent(t.toLocalDate(), d -> new HashMap<>());
        int slot = DailyStats.slotIndexOf(t.toLocalTime());
        List<SlotAccumulator> list = new ArrayList<>(3);
        String[] keys = { DailyStats.USERS + "\u0000" + info[1], DailyStats.PROJECTS + "\u0000" + info[0],
                DailyStats.APPS + "\u0000" + info[2] };
        for (String key : keys) {
            SlotAccumulator[] a = day.computeIfAbsent(key, k -> new SlotAccumulator[DailyStats.SLOTS]);
            if (a[slot] == null) {
                a[slot] = new SlotAccumulator();
            }
            list.add(a[slot]);
        }
        return list;
    }

    @Override
    public synchronized void jobStarted(String job, String project, String user, String app, long timeMillis) {
        activity = true;
        jobs.put(job, new String[] { nz(project), nz(user), nz(app) });
        runningJobs.add(job);
        for (SlotAccumulator a : slots(job, project, timeMillis)) {
            a.timesSended++;
            a.jobsRendering++;
        }
        server.jobsSeen.add(job);
    }

    @Override
    public synchronized void jobFinished(String job, String project, String user, String app, String state,
            long timeMillis) {
        activity = true;
        if (user != null || app != null) {
            String[] info = jobInfo(job, project);
            info[1] = user == null ? info[1] : nz(user);
            info[2] = app == null ? info[2] : nz(app);
        }
        runningJobs.remove(job);
        boolean done = state == null || state.equalsIgnoreCase("DONE") || state.equalsIgnoreCase("FINISHED")
                || state.equalsIgnoreCase("SUCCEEDED");
        for (SlotAccumulator a : slots(job, project, timeMillis)) {
            a.timesFinished++;
            if (done) {
                a.jobsDone++;
            }
        }
        Map<String, long[]> layers = layerTimes.remove(job);
        if (layers != null) {
            String p = jobInfo(job, project)[0];
            for (var e : layers.entrySet()) {
                long avg = e.getValue()[1] == 0 ? 0 : e.getValue()[0] / e.getValue()[1];
                finishedLayers.add(new Object[] { p, e.getKey(), (int) Math.min(0xFFFF, avg), timeMillis / 1000 });
            }
        }
    }

    @Override
    public synchronized void frameFinished(String job, String project, String layer, int frame, String node,
            long renderMillis, long memoryMB, double cpuPercent, long timeMillis) {
        activity = true;
        long seconds = Math.max(0, Math.round(renderMillis / 1000.0));
        for (SlotAccumulator a : slots(job, project, timeMillis)) {
            a.frames++;
            a.frameSeconds += seconds;
            a.maxFrameSeconds = Math.max(a.maxFrameSeconds, seconds);
            a.memSum += Math.max(0, memoryMB);
            a.maxMem = Math.max(a.maxMem, memoryMB);
            a.nodes.add(nz(node));
        }
        float cpu = (float) Math.max(0, Math.min(6.5535, cpuPercent / 100.0));
        int mem = (int) Math.max(0, Math.min(0xFFFF, memoryMB));
        List<FramePart> parts = new ArrayList<>(FrameStats.PARTS);
        for (int p = 0; p < FrameStats.PARTS; p++) {
            parts.add(new FramePart(mem, cpu, 0f, 1));
        }
        long start = Math.max(0, (timeMillis - renderMillis) / 1000);
        FrameStat stat = new FrameStat(Math.min(0xFFFF_FFFFL, start), frame,
                (int) Math.min(0xFFFF, Math.round(renderMillis / 5000.0)), Math.max(0, Math.min(0xFFFF, frame)),
                BinaryWriter.fit(nz(node), 50), 1, parts);
        frames.computeIfAbsent(job, this::existingFrames).add(stat);
        dirtyFrames.add(job);
        long[] lt = layerTimes.computeIfAbsent(job, j -> new HashMap<>()).computeIfAbsent(nz(layer), l -> new long[2]);
        lt[0] += seconds;
        lt[1]++;
        server.frame(timeMillis, seconds);
        NodeState n = node(nz(node));
        n.lastWork = timeMillis;
        n.lastJob = job;
        n.lastJobCpu = cpu;
        n.lastJobMem10 = (int) Math.min(0xFFFF, Math.max(0, memoryMB) / 10);
        n.hourFrames.merge(hourKey(timeMillis), 1, Integer::sum);
        n.dirty = true;
    }

    private List<FrameStat> existingFrames(String job) {
        Path f = framesFile(job);
        if (Files.exists(f)) {
            try {
                return new ArrayList<>(FrameStats.load(f).frames());
            } catch (StatsFormatException e) {
                // a damaged file is replaced by what is recorded from now on
            }
        }
        return new ArrayList<>();
    }

    @Override
    public synchronized void tileFinished(String job, String project, int frame, String node, long millis,
            long timeMillis) {
        activity = true;
        for (SlotAccumulator a : slots(job, project, timeMillis)) {
            a.nodes.add(nz(node));
        }
        NodeState n = node(nz(node));
        n.lastWork = timeMillis;
        n.lastJob = job;
        n.dirty = true;
    }

    @Override
    public synchronized void heartbeat(String node, double cpuPercent, long memoryUsedMB, long memoryTotalMB,
            long timeMillis) {
        activity = true;
        NodeState n = node(nz(node));
        n.lastSeen = timeMillis;
        float cpu = (float) Math.max(0, Math.min(6.5535, cpuPercent / 100.0));
        List<JobThreadSample> threads = new ArrayList<>();
        if (n.lastJob != null && timeMillis - n.lastWork < NODE_ALIVE_MS) {
            threads.add(new JobThreadSample(1, n.lastJobCpu, n.lastJobMem10, n.lastJob.hashCode() & 0xFFFF_FFFFL));
        }
        ClientSlot slot = new ClientSlot(true, false, cpu, 0f, (int) Math.min(0xFFFF, Math.max(0, memoryUsedMB) / 10), -1,
                -1, 0, threads);
        LocalDateTime t = local(timeMillis);
        n.slots.put(new long[] { t.toLocalDate().toEpochDay(), t.toLocalTime().toSecondOfDay() / 30 }, slot);
        n.dirty = true;
        server.heartbeat(timeMillis, cpuPercent);
    }

    private NodeState node(String name) {
        return nodes.computeIfAbsent(name, NodeState::new);
    }

    private long hourKey(long millis) {
        LocalDateTime t = local(millis);
        return t.toLocalDate().toEpochDay() * 24 + t.getHour();
    }

    // ---- files --------------------------------------------------------------------------------

    private Path framesFile(String job) {
        return folder.resolve("frames").resolve(safe(job) + ".tfs");
    }

    /** A file name for an id: letters, digits, '-', '_' and '.' kept, anything else as '_'. */
    static String safe(String id) {
        String s = nz(id).replaceAll("[^A-Za-z0-9._-]", "_");
        if (s.startsWith(".")) {
            s = "_" + s.substring(1);
        }
        return s.length() > 120 ? s.substring(0, 120) : s;
    }

    public Path dailyFile(LocalDate day) {
        return folder.resolve("daily").resolve(day + ".tds");
    }

    public Path serverFile() {
        return folder.resolve("server_stats.db");
    }

    public Path clientFile(String node) {
        return folder.resolve("client").resolve(safe(node) + ".tcs");
    }

    public Path renderTimesFile() {
        return folder.resolve("renderTimes.db");
    }

    public Path clientInfoFile() {
        return folder.resolve("clientIPstats.db");
    }

    @Override
    public synchronized void flush() throws IOException {
        long now = System.currentTimeMillis();
        flushDaily();
        for (String job : dirtyFrames) {
            new FrameStats(job, frames.get(job)).write(framesFile(job));
        }
        dirtyFrames.clear();
        if (!finishedLayers.isEmpty()) {
            RenderTimeHistory h = new RenderTimeHistory(0, List.of());
            if (Files.exists(renderTimesFile())) {
                try {
                    h = RenderTimeHistory.load(renderTimesFile());
                } catch (StatsFormatException e) {
                    // replaced
                }
            }
            for (Object[] l : finishedLayers) {
                h = h.withJob((String) l[0], (String) l[1], (Integer) l[2], (Long) l[3]);
            }
            h.write(renderTimesFile());
            finishedLayers.clear();
        }
        flushNodes();
        if (activity) {
            flushServer(now);
            activity = false;
        }
    }

    private void flushDaily() throws IOException {
        for (var day : daily.entrySet()) {
            Path f = dailyFile(day.getKey());
            DailyStats base = null;
            if (Files.exists(f)) {
                try {
                    base = DailyStats.load(f);
                } catch (StatsFormatException e) {
                    base = null;
                }
            }
            List<List<JobStatDay>> lists = new ArrayList<>();
            for (int type = 0; type < 3; type++) {
                Map<String, JobStat[]> merged = new LinkedHashMap<>();
                if (base != null) {
                    for (JobStatDay e : base.getJobsByType(type)) {
                        if (e.timeSlotCount() == DailyStats.SLOTS) {
                            merged.put(e.name(), e.slots().toArray(new JobStat[0]));
                        }
                    }
                }
                for (var acc : day.getValue().entrySet()) {
                    String[] key = acc.getKey().split("\u0000", 2);
                    if (Integer.parseInt(key[0]) != type) {
                        continue;
                    }
                    JobStat[] slots = merged.computeIfAbsent(BinaryWriter.fit(key[1], DailyStatsCodec.MAX_NAME_BYTES),
                            k -> emptySlots());
                    SlotAccumulator[] a = acc.getValue();
                    for (int i = 0; i < a.length; i++) {
                        if (a[i] != null) {
                            slots[i] = a[i].mergeInto(slots[i]);
                            a[i] = null;
                        }
                    }
                }
                List<JobStatDay> entries = new ArrayList<>();
                for (var m : merged.entrySet()) {
                    entries.add(new JobStatDay(m.getKey(), type, List.of(m.getValue())));
                }
                lists.add(entries);
            }
            new DailyStats(day.getKey(), lists.get(0), lists.get(1), lists.get(2)).write(f);
        }
        daily.clear();
    }

    private static JobStat[] emptySlots() {
        JobStat[] s = new JobStat[DailyStats.SLOTS];
        java.util.Arrays.fill(s, JobStat.EMPTY);
        return s;
    }

    private void flushNodes() throws IOException {
        boolean anyDirty = false;
        for (NodeState n : nodes.values()) {
            if (!n.dirty) {
                continue;
            }
            anyDirty = true;
            ClientStats c = null;
            Path f = clientFile(n.name);
            if (Files.exists(f)) {
                try {
                    c = ClientStats.load(f).copy();
                } catch (StatsFormatException e) {
                    c = null;
                }
            }
            if (c == null) {
                c = ClientStats.create(ClientStats.DEFAULT_MAX_JOB_THREADS);
            }
            for (var s : n.slots.entrySet()) {
                int d = dayIndexFor(c, s.getKey()[0]);
                if (d >= 0) {
                    c.setData(d, (int) s.getKey()[1], s.getValue());
                }
            }
            for (var h : n.hourFrames.entrySet()) {
                int d = dayIndexFor(c, h.getKey() / 24);
                if (d >= 0) {
                    int hour = (int) (h.getKey() % 24);
                    List<HourlyJobThread> old = c.dataHourly(d, hour);
                    int before = old.isEmpty() ? 0 : old.get(0).framesDone();
                    int ok = old.isEmpty() ? 0 : old.get(0).jobSuccessful();
                    c.setDataHourly(d, hour, List.of(new HourlyJobThread(Math.min(0xFFFF, before + h.getValue()), 0, 0, ok)));
                }
            }
            c.write(f);
            n.slots.clear();
            n.hourFrames.clear();
            n.dirty = false;
        }
        if (anyDirty) {
            writeClientInfo();
        }
    }

    /** Day index for an epoch day, rolling the file forward when a new day begins. */
    private static int dayIndexFor(ClientStats c, long epochDay) {
        int last = c.daysMax() - 1;
        if (!c.daySet(last)) {
            c.setDay(last, true, epochDay);
            return last;
        }
        long lastDay = c.day(last);
        if (epochDay > lastDay) {
            c.shiftDays((int) Math.min(c.daysMax(), epochDay - lastDay));
            c.setDay(last, true, epochDay);
            return last;
        }
        return c.dayIndexOf(epochDay);
    }

    private void writeClientInfo() throws IOException {
        Map<String, ClientInfoEntry> entries = new LinkedHashMap<>();
        if (Files.exists(clientInfoFile())) {
            try {
                for (ClientInfoEntry e : ClientInfo.load(clientInfoFile()).entries()) {
                    if (e.lastIps().size() == ClientInfo.DEFAULT_MAX_IPS && e.lastWols().size() == ClientInfo.DEFAULT_MAX_WOLS) {
                        entries.put(e.name(), e);
                    }
                }
            } catch (StatsFormatException e) {
                entries.clear();
            }
        }
        for (NodeState n : nodes.values()) {
            String name = BinaryWriter.fit(n.name, 50);
            ClientInfoEntry old = entries.get(name);
            long lastConnect = Math.max(old == null ? 0 : old.lastConnect(), Math.max(n.lastSeen, n.lastWork) / 1000);
            entries.put(name, new ClientInfoEntry(lastConnect, old == null ? 0 : old.lastWolTry(),
                    old == null ? 0 : old.wolTryCount(), name, "0.1.0",
                    old == null ? java.util.Collections.nCopies(ClientInfo.DEFAULT_MAX_IPS, IpRecord.NONE) : old.lastIps(),
                    old == null ? java.util.Collections.nCopies(ClientInfo.DEFAULT_MAX_WOLS, WolInfo.NONE) : old.lastWols()));
        }
        new ClientInfo(ClientInfo.DEFAULT_MAX_IPS, ClientInfo.DEFAULT_MAX_WOLS, List.copyOf(entries.values()))
                .write(clientInfoFile());
    }

    private void flushServer(long now) throws IOException {
        ServerStats s = null;
        if (Files.exists(serverFile())) {
            try {
                s = ServerStats.load(serverFile()).copy();
            } catch (StatsFormatException e) {
                s = null;
            }
        }
        if (s == null) {
            s = ServerStats.create();
        }
        long localSec = local(now).toEpochSecond(ZoneOffset.UTC);
        int alive = 0;
        int rendering = 0;
        for (NodeState n : nodes.values()) {
            if (now - Math.max(n.lastSeen, n.lastWork) < NODE_ALIVE_MS) {
                alive++;
                if (now - n.lastWork < NODE_ALIVE_MS) {
                    rendering++;
                }
            }
        }
        ServerStatsItem day = server.item(alive, rendering, runningJobs.size(), DAY_SECONDS_PER_MIN_DIVISOR);
        // day ring: overwrite the slot of now (a slot of 90 s)
        s.set(Ring.DAY, s.dayIndexOf(localSec), day);
        long nowMonth = Math.floorDiv(localSec, ServerStats.MONTH_SECONDS);
        long nowYear = Math.floorDiv(localSec, ServerStats.YEAR_SECONDS);
        if (s.lastSaveMonth() == 0) {
            s.setLastSave(s.lastSaveDay(), nowMonth, s.lastSaveYear());
        }
        if (s.lastSaveYear() == 0) {
            s.setLastSave(s.lastSaveDay(), s.lastSaveMonth(), nowYear);
        }
        long monthSteps = Math.min(s.monthMax(), nowMonth - s.lastSaveMonth());
        for (long i = 0; i < monthSteps; i++) {
            s.push(Ring.MONTH, i == 0 ? server.period(server.month, alive, rendering, runningJobs.size(), 30)
                    : ServerStatsItem.EMPTY);
        }
        if (monthSteps > 0) {
            server.month.reset();
        }
        long yearSteps = Math.min(s.yearMax(), nowYear - s.lastSaveYear());
        for (long i = 0; i < yearSteps; i++) {
            s.push(Ring.YEAR, i == 0 ? server.period(server.year, alive, rendering, runningJobs.size(), 360)
                    : ServerStatsItem.EMPTY);
        }
        if (yearSteps > 0) {
            server.year.reset();
        }
        s.setLastSave(Math.floorDiv(localSec, ServerStats.DAY_SECONDS), Math.max(nowMonth, s.lastSaveMonth()),
                Math.max(nowYear, s.lastSaveYear()));
        s.write(serverFile());
    }

    private static final double DAY_SECONDS_PER_MIN_DIVISOR = 1.5;

    /** Sums of one daily slot since the last flush. */
    static final class SlotAccumulator {
        long frames;
        long frameSeconds;
        long maxFrameSeconds;
        long memSum;
        long maxMem;
        int timesSended;
        int timesFinished;
        int jobsDone;
        int jobsRendering;
        final Set<String> nodes = new HashSet<>();

        JobStat mergeInto(JobStat b) {
            long total = b.framesRendered() + frames;
            long avFt = total == 0 ? 0 : (b.avFrameTime() * b.framesRendered() + frameSeconds) / total;
            long avMem = total == 0 ? 0 : (b.avMemUsageMB() * b.framesRendered() + memSum) / total;
            float ps = nodes.size();
            return new JobStat(true, Math.max(b.avPSUsage(), ps), Math.max(b.maxPSUsage(), ps), b.psNeeded(),
                    b.renderLicNeeded(), b.jobsWaiting(), b.jobsDisabled(), b.jobsIdle(),
                    u16(b.jobsRendering() + jobsRendering), u16(b.jobsDone() + jobsDone),
                    u16(b.timesSended() + timesSended), u16(b.timesFinished() + timesFinished), u32(avMem),
                    u32(Math.max(b.maxMemUsageMB(), maxMem)), u32(avFt), u32(Math.max(b.maxFrameTime(), maxFrameSeconds)),
                    u32(total), b.framesLeft());
        }
    }

    static int u16(long v) {
        return (int) Math.max(0, Math.min(0xFFFF, v));
    }

    static long u32(long v) {
        return Math.max(0, Math.min(0xFFFF_FFFFL, v));
    }

    /** What the server rings need between saves. */
    static final class ServerAccumulator {
        final Set<String> jobsSeen = new HashSet<>();
        final Period slot = new Period();
        final Period month = new Period();
        final Period year = new Period();
        double cpu;

        static final class Period {
            long frames;
            long frameSeconds;

            void reset() {
                frames = 0;
                frameSeconds = 0;
            }
        }

        void frame(long millis, long seconds) {
            for (Period p : new Period[] { slot, month, year }) {
                p.frames++;
                p.frameSeconds += seconds;
            }
        }

        void heartbeat(long millis, double cpuPercent) {
            cpu = cpuPercent;
        }

        ServerStatsItem item(int alive, int rendering, int running, double minutes) {
            ServerStatsItem i = period(slot, alive, rendering, running, minutes);
            slot.reset();
            return i;
        }

        ServerStatsItem period(Period p, int alive, int rendering, int running, double minutes) {
            Runtime rt = Runtime.getRuntime();
            long used = (rt.totalMemory() - rt.freeMemory()) >> 20;
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            int cpus = Runtime.getRuntime().availableProcessors();
            int machineCpu = load < 0 ? 0 : (int) Math.min(100, Math.round(100 * load / cpus));
            return new ServerStatsItem(true, 0f, (float) (p.frames / minutes), p.frames, 0, 0, u16(alive - rendering),
                    u16(rendering), 0, 0, machineCpu, 0, 0, u32(running), u32(running), u32(jobsSeen.size()), 0,
                    u32(used), 0, 0, 0, 0, u32(p.frames == 0 ? 0 : p.frameSeconds / p.frames), 0);
        }
    }

    /** What is known of one node since the last flush. */
    static final class NodeState {
        final String name;
        long lastSeen;
        long lastWork;
        String lastJob;
        float lastJobCpu;
        int lastJobMem10;
        boolean dirty;
        final Map<long[], ClientSlot> slots = new java.util.TreeMap<>(
                (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        final Map<Long, Integer> hourFrames = new HashMap<>();

        NodeState(String name) {
            this.name = name;
        }
    }
}
