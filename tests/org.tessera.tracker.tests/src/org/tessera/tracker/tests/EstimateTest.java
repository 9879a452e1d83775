// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.tracker.core.TrackerService;

/** The seconds-left formula of docs/tracker.md, with a clock the test moves. */
class EstimateTest {
    @TempDir
    Path dir;

    @Test
    void estimatesFromRunningFramesThenFromFinishedFrames() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        try (TrackerService t = Trackers.open(dir, clock, null)) {
            String p = "/estimate.hip";
            t.startedRenderProject(p, List.of(1, 2, 3, 4), false, 1);
            assertEquals(-1, t.getEstimatedRenderSecondsLeft(p), "nothing started: unknown");

            t.startedFrameRender(p, 1, 2, "/o/1.exr");
            clock.addAndGet(10_000);
            assertEquals(-1, t.getEstimatedRenderSecondsLeft(p), "running with no progress: unknown");
            t.setFrameRenderFraction(p, 1, 0.25);
            // frame 1 projects 40 s in all: 30 s left for it, 3 waiting frames x 40 s, one slot
            assertEquals(30 + 3 * 40, t.getEstimatedRenderSecondsLeft(p), 1e-6);

            clock.addAndGet(30_000);
            t.setFrameRenderFraction(p, 1, 1.0); // took 40 s
            assertEquals(3 * 40, t.getEstimatedRenderSecondsLeft(p), 1e-6, "3 frames at the measured 40 s");

            t.startedFrameRender(p, 2, 3, "/o/2.exr");
            t.startedFrameRender(p, 3, 4, "/o/3.exr");
            clock.addAndGet(10_000);
            t.setFrameRenderFraction(p, 2, 0.5); // projects 20 s: 10 s left
            // frame 3: no progress yet, measured 40 s minus 10 s elapsed = 30 s; frame 4 waits: 40 s
            // work 10 + 30 + 40 = 80 s over 2 rendering slots = 40 s (longest running frame is 30 s)
            assertEquals(40, t.getEstimatedRenderSecondsLeft(p), 1e-6);

            t.setFrameError(p, 4, "gone");
            // errors are not waited for: (10 + 30) / 2 = 20, but frame 3 alone needs 30
            assertEquals(30, t.getEstimatedRenderSecondsLeft(p), 1e-6);

            t.setFrameRenderFraction(p, 2, 1.0);
            t.setFrameRenderFraction(p, 3, 1.0);
            t.startedFrameRender(p, 4, 5, "/o/4.exr");
            t.setFrameRenderFraction(p, 4, 1.0);
            assertEquals(0, t.getEstimatedRenderSecondsLeft(p), "done");
        }
    }
}
