// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.tracker.core.TrackerServer;
import org.tessera.internal.tracker.core.TrackerService;
import org.tessera.tracker.core.FrameChanges;
import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.RenderTracker;
import org.tessera.tracker.core.RenderTrackerClient;

/**
 * getChangedFrames under concurrent writers: every writer raises its frames' fractions step by step,
 * so each change is new; watchers must see every frame's fractions rise without repeats, and end with
 * exactly the final state. Writers on another project move the shared counter meanwhile.
 */
class EventIdConcurrencyTest {
    private static final int WRITERS = 8;
    private static final int FRAMES_PER_WRITER = 5;
    private static final int STEPS = 40;

    @TempDir
    Path dir;

    @Test
    void noChangeMissedOrRepeatedInProcess() throws Exception {
        try (TrackerService service = Trackers.open(dir)) {
            run(service, service);
        }
    }

    @Test
    void noChangeMissedOrRepeatedOverXmlRpc() throws Exception {
        try (TrackerService service = Trackers.open(dir); TrackerServer server = TrackerServer.start(service, 0)) {
            RenderTrackerClient client = RenderTrackerClient.connect(server.uri(), null);
            run(client, client);
        }
    }

    private static void run(RenderTracker writer, RenderTracker reader) throws Exception {
        String project = "/concurrent.hip";
        String other = "/other.hip";
        int frames = WRITERS * FRAMES_PER_WRITER;
        writer.startedRenderProject(project, IntStream.rangeClosed(1, frames).boxed().toList(), false, 1);
        writer.startedRenderProject(other, List.of(1), false, 2);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int base = w * FRAMES_PER_WRITER;
                writers.add(pool.submit(() -> {
                    for (int step = 1; step <= STEPS; step++) {
                        for (int f = 1; f <= FRAMES_PER_WRITER; f++) {
                            writer.setFrameRenderFraction(project, base + f, step / (double) (STEPS + 1));
                        }
                        Thread.sleep(1); // spread the writes so the watcher polls in the middle of them
                    }
                    return null;
                }));
            }
            Future<?> noise = pool.submit(() -> {
                int i = 0;
                while (writing.get()) {
                    writer.setFrameRenderFraction(other, 1, (i++ % 90) / 100.0 + 0.01);
                    writer.incrementAndGetLastEventId();
                }
                return null;
            });
            Future<Map<Integer, Double>> watcher = pool.submit(() -> watch(reader, project, writing));
            for (Future<?> f : writers) {
                f.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            noise.get(60, TimeUnit.SECONDS);
            Map<Integer, Double> seen = watcher.get(60, TimeUnit.SECONDS);
            Map<Integer, Double> expected = new HashMap<>();
            for (FrameInfo f : reader.getAllFramesInfo(project)) {
                expected.put(f.frame(), f.fraction());
                assertEquals(STEPS / (double) (STEPS + 1), f.fraction(), 1e-9, "final fraction of frame " + f.frame());
            }
            assertEquals(expected, seen, "the watcher ends with exactly the final state");
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
    }

    /** Polls until writers stop, then once more; checks ids grow and fractions never repeat or go back. */
    private static Map<Integer, Double> watch(RenderTracker reader, String project, AtomicBoolean writing) {
        Map<Integer, Double> state = new HashMap<>();
        long since = 0;
        int polls = 0;
        boolean last = false;
        while (true) {
            boolean stopping = !writing.get();
            FrameChanges c = reader.getChangedFrames(project, since);
            assertTrue(c.eventId() >= since, "event id never goes back");
            for (FrameInfo f : c.changes()) {
                Double before = state.put(f.frame(), f.fraction());
                if (before != null && since > 0) {
                    assertTrue(f.fraction() > before, "frame " + f.frame() + " repeated or went back: " + before + " -> "
                            + f.fraction() + " (since " + since + ")");
                }
            }
            since = c.eventId();
            polls++;
            if (last) {
                assertTrue(c.changes().isEmpty(), "nothing new after the final poll");
                assertTrue(polls > 2, "watched while writing");
                return state;
            }
            last = stopping;
        }
    }
}
