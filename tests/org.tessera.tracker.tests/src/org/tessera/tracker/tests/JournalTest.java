// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.tracker.core.TrackerService;
import org.tessera.tracker.core.FrameInfo;

/**
 * The journal with group commit and checkpoints: what was acknowledged is there after a crash
 * (simulated in process: journal left as written, H2 shut down without writing), a torn last record
 * is ignored, and a checkpoint followed by replay gives back the same state.
 */
class JournalTest {
    @TempDir
    Path dir;

    /** State a client can see, to compare before and after a restart. */
    private static Map<String, Object> state(TrackerService t) {
        Map<String, Object> s = new java.util.TreeMap<>();
        for (String p : t.getAllProjects()) {
            List<FrameInfo> frames = t.getAllFramesInfo(p);
            s.put(p, frames);
            for (FrameInfo f : frames) {
                s.put(p + "#" + f.frame() + " log", t.getFrameLog(p, f.frame()));
            }
            s.put(p + " event", t.getChangedFrames(p, 0).eventId());
        }
        return s;
    }

    private Path newestSegment() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("tracker\\.journal\\.\\d+"))
                    .max((a, b) -> Integer.compare(index(a), index(b))).orElseThrow();
        }
    }

    private static int index(Path p) {
        String n = p.getFileName().toString();
        return Integer.parseInt(n.substring(n.lastIndexOf('.') + 1));
    }

    @Test
    void tornLastRecordIsIgnored() throws Exception {
        Map<String, Object> before;
        TrackerService t = Trackers.open(dir);
        t.startedRenderProject("/a.hip", List.of(1, 2, 3), false, 1);
        t.setFrameRenderFraction("/a.hip", 1, 0.5);
        t.setFrameError("/a.hip", 2, "no licence");
        before = state(t);
        t.store().crashForTesting();
        // a record whose write was cut short: header says 200 bytes, only 10 follow
        Path segment = newestSegment();
        ByteBuffer torn = ByteBuffer.allocate(26).putInt(200).putInt(12345).putLong(Long.MAX_VALUE);
        Files.write(segment, torn.array(), StandardOpenOption.APPEND);
        try (TrackerService again = Trackers.open(dir)) {
            assertEquals(before, state(again));
            again.setFrameRenderFraction("/a.hip", 3, 0.25); // and it goes on journaling after the torn tail
        }
        try (TrackerService again = Trackers.open(dir)) {
            assertEquals(new FrameInfo(3, org.tessera.tracker.core.FrameStatus.RENDERING, 0.25),
                    again.getAllFramesInfo("/a.hip").get(2));
        }
    }

    @Test
    void corruptRecordEndsTheSegment() throws Exception {
        TrackerService t = Trackers.open(dir);
        t.startedRenderProject("/a.hip", List.of(1), false, 1);
        Map<String, Object> before = state(t);
        t.setFrameRenderFraction("/a.hip", 1, 0.5);
        t.store().crashForTesting();
        // flip a byte in the last record's payload: its CRC no longer matches
        Path segment = newestSegment();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 3] ^= 0x5a;
        Files.write(segment, bytes);
        try (TrackerService again = Trackers.open(dir)) {
            assertEquals(before, state(again));
        }
    }

    @Test
    void checkpointThenReplayEqualsTheStateBefore() throws Exception {
        TrackerService t = Trackers.open(dir);
        t.startedRenderProject("/a.hip", IntStream.rangeClosed(1, 50).boxed().toList(), true, 1);
        t.startedRenderProject("/b.hip", List.of(1, 2), false, 2);
        for (int i = 1; i <= 50; i++) {
            t.setFrameRenderFraction("/a.hip", i, i / 100.0);
        }
        t.store().checkpointNow(); // into H2, older journal segments deleted
        for (int i = 1; i <= 50; i += 2) {
            t.setFrameRenderFraction("/a.hip", i, 1.0);
            t.setFrameDownloadFraction("/a.hip", i, 0.5);
        }
        t.removeProject("/b.hip");
        t.startedRenderProject("/b.hip", List.of(9), false, 3); // replaced after the checkpoint
        t.setProjectError("/b.hip", "scene missing");
        t.incrementAndGetLastEventId();
        Map<String, Object> before = state(t);
        long counter = t.incrementAndGetLastEventId();
        t.store().crashForTesting();
        try (TrackerService again = Trackers.open(dir)) {
            assertEquals(before, state(again));
            assertEquals(counter + 1, again.incrementAndGetLastEventId());
        }
        // and once more from H2 alone after a clean close (checkpoint, journal gone)
        Map<String, Object> after;
        try (TrackerService again = Trackers.open(dir)) {
            after = state(again);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith("tracker.journal")
                    && sizeOf(p) > 0), "a clean close leaves no journal to replay");
        }
        try (TrackerService again = Trackers.open(dir)) {
            assertEquals(after, state(again));
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void groupCommitUnderConcurrentWritersLosesNothingAcknowledged() throws Exception {
        int writers = 8;
        int frames = 200;
        TrackerService t = Trackers.open(dir);
        for (int w = 0; w < writers; w++) {
            t.startedRenderProject("/p" + w, IntStream.rangeClosed(1, frames).boxed().toList(), false, w);
        }
        Map<String, Double> acknowledged = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String project = "/p" + w;
            done.add(pool.submit(() -> {
                for (int round = 1; round <= 3; round++) {
                    for (int f = 1; f <= frames; f++) {
                        double fraction = round * 0.3 + f / 10_000.0;
                        t.setFrameRenderFraction(project, f, fraction);
                        acknowledged.put(project + "#" + f, fraction); // only after the call returned
                    }
                    if (round == 2 && project.equals("/p0")) {
                        t.store().checkpointNow(); // a checkpoint while the others keep writing
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        t.store().crashForTesting();
        try (TrackerService again = Trackers.open(dir)) {
            assertEquals(writers * frames, acknowledged.size());
            for (int w = 0; w < writers; w++) {
                for (FrameInfo f : again.getAllFramesInfo("/p" + w)) {
                    assertEquals(acknowledged.get("/p" + w + "#" + f.frame()), f.fraction(), 1e-12, "/p" + w + "#" + f.frame());
                }
            }
            assertTrue(again.getChangedFrames("/p0", 0).eventId() > 0);
        }
    }
}
