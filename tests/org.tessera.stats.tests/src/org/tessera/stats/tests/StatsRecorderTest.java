// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.tessera.stats.core.ClientInfo;
import org.tessera.stats.core.ClientStats;
import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.FrameStat;
import org.tessera.stats.core.FrameStats;
import org.tessera.stats.core.JobStat;
import org.tessera.stats.core.JobStatDay;
import org.tessera.stats.core.RenderTimeHistory;
import org.tessera.stats.core.RenderTimeProject;
import org.tessera.stats.core.ServerStats;
import org.tessera.stats.core.StatsRecorder;
import org.tessera.stats.core.StatsTopics;
import org.tessera.testing.OsgiServices;

/** The DS recorder, driven by real events through the real EventAdmin, writing real files. */
class StatsRecorderTest {

    private static Event event(String topic, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return new Event(topic, m);
    }

    @Test
    void eventsBecomeStatsFilesThatAgreeWithWhatWasRendered() throws Exception {
        StatsRecorder recorder = OsgiServices.get(StatsRecorder.class);
        EventAdmin events = OsgiServices.get(EventAdmin.class);
        String id = UUID.randomUUID().toString().substring(0, 8);
        String job = "job-" + id;
        String project = "FancyDrink-" + id;
        String node = "node-" + id;
        long now = System.currentTimeMillis();
        long[] renderMillis = { 12_000, 31_000, 64_000, 5_000 };

        events.sendEvent(event(StatsTopics.JOB_STARTED, "job", job, "project", project, "user", "ann", "app", "povray",
                "state", "RENDERING", "timestamp", now));
        events.sendEvent(event(StatsTopics.NODE_HEARTBEAT, "node", node, "cpuPercent", 87.5, "memoryUsedMB", 4200L,
                "memoryTotalMB", 16000L, "timestamp", now));
        for (int f = 0; f < renderMillis.length; f++) {
            events.sendEvent(event(StatsTopics.TILE_FINISHED, "job", job, "project", project, "frame", f + 1, "node", node,
                    "tileX", 0, "tileY", 0, "tileWidth", 64, "tileHeight", 64, "millis", 100L, "timestamp", now));
            events.sendEvent(event(StatsTopics.FRAME_FINISHED, "job", job, "project", project, "layer", "beauty",
                    "frame", f + 1, "node", node, "renderMillis", renderMillis[f], "memoryMB", 1500L + f,
                    "cpuPercent", 95.0, "path", "/tmp/x.png", "timestamp", now));
        }
        events.sendEvent(event(StatsTopics.JOB_FINISHED, "job", job, "project", project, "user", "ann", "app", "povray",
                "state", "DONE", "timestamp", now));
        recorder.flush();
        Path folder = recorder.folder();

        // frame stats: one entry per frame, render times as reported (5-second units)
        FrameStats frames = FrameStats.load(folder.resolve("frames").resolve(job + ".tfs"));
        assertEquals(job, frames.job());
        assertEquals(renderMillis.length, frames.frameCount());
        for (int f = 0; f < renderMillis.length; f++) {
            FrameStat s = frames.frame(f);
            assertEquals(f + 1, s.frameNrJob());
            assertEquals(Math.round(renderMillis[f] / 5000.0), s.renderTime5Sec());
            assertEquals(node, s.client());
            assertEquals(1500 + f, s.parts().get(0).jobMemoryMB());
            assertEquals(0.95f, s.parts().get(4).jobCPU(), 1e-4);
        }

        // daily stats: the project, user and app lists count the frames in the slot of now
        LocalDateTime local = LocalDateTime.now(ZoneId.systemDefault());
        DailyStats day = DailyStats.load(folder.resolve("daily").resolve(local.toLocalDate() + ".tds"));
        JobStatDay p = day.projects().stream().filter(e -> e.name().equals(project)).findFirst().orElseThrow();
        int slot = DailyStats.slotIndexOf(LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(now),
                ZoneId.systemDefault()).toLocalTime());
        JobStat js = p.getTimeSlot(slot).orElseThrow();
        assertEquals(renderMillis.length, js.framesRendered());
        assertEquals(64, js.maxFrameTime());
        assertEquals((12 + 31 + 64 + 5) / 4, js.avFrameTime());
        assertEquals(1503, js.maxMemUsageMB());
        assertEquals(1, js.timesSended());
        assertEquals(1, js.timesFinished());
        assertEquals(1, js.jobsDone());
        assertTrue(day.users().stream().anyMatch(e -> e.name().equals("ann") && e.getTimeSlot(slot).isPresent()));
        assertTrue(day.apps().stream().anyMatch(e -> e.name().equals("povray")));

        // render-time history: the job's average frame time in its layer, newest first
        RenderTimeHistory h = RenderTimeHistory.load(folder.resolve("renderTimes.db"));
        RenderTimeProject rp = h.projects().stream().filter(x -> x.name().equals(project)).findFirst().orElseThrow();
        assertEquals("beauty", rp.getLayer(0).name());
        assertEquals((12 + 31 + 64 + 5) / 4, rp.getLayer(0).getFrameTime(0));

        // client stats of the node: the heartbeat's slot with CPU and memory; frames in the hour
        ClientStats c = ClientStats.load(folder.resolve("client").resolve(node + ".tcs"));
        int d = c.dayIndexOf(local.toLocalDate().toEpochDay());
        assertEquals(c.daysMax() - 1, d);
        int s30 = c.slotIndexOf(LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(now), ZoneId.systemDefault())
                .toLocalTime().toSecondOfDay());
        assertEquals(0.875f, c.data(d, s30).cpuTotal(), 1e-4);
        assertEquals(420, c.data(d, s30).memTotal10MB());
        int hour = LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(now), ZoneId.systemDefault()).getHour();
        assertEquals(renderMillis.length, c.dataHourly(d, hour).get(0).framesDone());

        // client info and server stats
        assertTrue(ClientInfo.load(folder.resolve("clientIPstats.db")).entries().stream()
                .anyMatch(e -> e.name().equals(node) && e.lastConnect() >= now / 1000 - 1));
        ServerStats server = ServerStats.load(folder.resolve("server_stats.db"));
        long localNow = ServerStats.currentLocalTime();
        assertTrue(Math.abs(server.lastSaveDay() - localNow / 90) <= 1, server.lastSaveDay() + " vs " + localNow / 90);
        assertTrue(server.day(server.dayIndexOf(server.lastSaveDay() * 90)).slotUsed());

        // atomic writes leave no temporary files behind
        try (Stream<Path> all = Files.walk(folder)) {
            List<Path> tmp = all.filter(x -> x.getFileName().toString().endsWith(".tmp")).toList();
            assertEquals(List.of(), tmp);
        }
    }

    @Test
    void aSecondFlushMergesIntoTheExistingFiles() throws Exception {
        StatsRecorder recorder = OsgiServices.get(StatsRecorder.class);
        String job = "merge-" + UUID.randomUUID().toString().substring(0, 8);
        long now = System.currentTimeMillis();
        recorder.frameFinished(job, "p-" + job, "l", 1, "n1", 10_000, 100, 50, now);
        recorder.flush();
        recorder.frameFinished(job, "p-" + job, "l", 2, "n1", 20_000, 100, 50, now);
        recorder.flush();
        FrameStats f = FrameStats.load(recorder.folder().resolve("frames").resolve(job + ".tfs"));
        assertEquals(List.of(1, 2), f.frames().stream().map(FrameStat::frameNrJob).toList());
        DailyStats day = DailyStats.load(recorder.folder().resolve("daily")
                .resolve(LocalDateTime.now().toLocalDate() + ".tds"));
        JobStatDay p = day.projects().stream().filter(e -> e.name().equals("p-" + job)).findFirst().orElseThrow();
        long frames = p.slots().stream().mapToLong(JobStat::framesRendered).sum();
        assertEquals(2, frames, "the second flush adds to the file, it does not replace it");
    }
}
