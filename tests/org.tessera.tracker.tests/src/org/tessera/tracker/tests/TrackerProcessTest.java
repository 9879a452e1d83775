// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.testing.TesseraProcess;
import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.FrameStatus;
import org.tessera.tracker.core.RenderTrackerClient;
import org.tessera.tracker.core.TrackerException;

/**
 * {@code tessera tracker serve} as a real process: killed with SIGKILL while clients stream updates,
 * restarted on the same database, every acknowledged update is there. Then the query verbs.
 */
class TrackerProcessTest {
    private static final int FRAMES = 40;
    private static final int WRITERS = 4;
    private static final double STEP = 1.0 / 100_000;
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path work;

    /** Starts {@code tessera tracker serve} on {@code port} with the database {@code db}; waits until it listens. */
    static TesseraProcess serve(Path work, String name, int port, Path db) {
        TesseraProcess p = TesseraProcess.start(work, name, "tracker", "serve", "--port", String.valueOf(port), "--db",
                db.toString());
        awaitTracker(p, port, null);
        return p;
    }

    /**
     * Waits until a tracker answers {@code isRunning} on {@code port} (the process's console is for its
     * user, never parsed); fails with the process's output.
     */
    static void awaitTracker(TesseraProcess p, int port, String token) {
        RenderTrackerClient client = RenderTrackerClient.connect(URI.create("http://127.0.0.1:" + port + "/RPC2"), token);
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            try {
                if (client.isRunning()) {
                    return;
                }
            } catch (TrackerException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no tracker answers on port " + port + " within " + START + ":\n" + p.output());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void acknowledgedUpdatesSurviveKill9AndTheQueryVerbsWork() throws Exception {
        int port = TesseraProcess.freePort();
        Path db = work.resolve("db").resolve("tracker");
        String project = "/kill/shot.hip";
        AtomicIntegerArray acknowledged = new AtomicIntegerArray(FRAMES + 1);
        int total = 0;
        try (TesseraProcess first = serve(work, "tracker-1", port, db)) {
            URI uri = URI.create("http://127.0.0.1:" + port + "/RPC2");
            RenderTrackerClient client = RenderTrackerClient.connect(uri, null);
            client.startedRenderProject(project, IntStream.rangeClosed(1, FRAMES).boxed().toList(), false, 7);
            AtomicBoolean go = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    int acks = 0;
                    for (int step = 1; go.get() && step < 100_000; step++) {
                        for (int frame = 1 + writer; frame <= FRAMES; frame += WRITERS) {
                            try {
                                client.setFrameRenderFraction(project, frame, step * STEP);
                            } catch (TrackerException e) {
                                return acks; // the tracker died under us: this one was never acknowledged
                            }
                            acknowledged.set(frame, step);
                            acks++;
                        }
                    }
                    return acks;
                }));
            }
            // let updates stream, then kill -9 in the middle of them
            long deadline = System.currentTimeMillis() + 30_000;
            while (sum(acknowledged) < 400 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            first.kill();
            go.set(false);
            for (Future<Integer> f : writers) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
            assertTrue(!first.process().isAlive(), "killed");
        }
        assertTrue(total >= 400, "updates were streaming when killed: " + total);

        try (TesseraProcess second = serve(work, "tracker-2", port, db)) {
            RenderTrackerClient client = RenderTrackerClient.getConnection("127.0.0.1", port);
            assertTrue(client != null, "restarted tracker answers");
            List<FrameInfo> frames = client.getAllFramesInfo(project);
            assertEquals(FRAMES, frames.size());
            for (FrameInfo f : frames) {
                double acked = acknowledged.get(f.frame()) * STEP;
                assertTrue(f.fraction() >= acked - 1e-12, "frame " + f.frame() + " lost an acknowledged update: stored "
                        + f.fraction() + " < acknowledged " + acked);
                if (acked > 0) {
                    assertEquals(FrameStatus.RENDERING, f.status(), "frame " + f.frame());
                }
            }

            // the query verbs against the restarted tracker
            TesseraProcess.Result projects = TesseraProcess.run(work, START, "tracker", "projects", "--port",
                    String.valueOf(port));
            assertEquals(0, projects.exitCode(), projects.output());
            assertTrue(projects.output().lines().anyMatch(project::equals), projects.output());

            TesseraProcess.Result table = TesseraProcess.run(work, START, "tracker", "frames", "--port",
                    String.valueOf(port), project);
            assertEquals(0, table.exitCode(), table.output());
            assertTrue(table.output().contains("FRAME") && table.output().contains("STATUS"), table.output());
            assertEquals(FRAMES, table.output().lines().filter(l -> l.matches("\\s+\\d+\\s+(rendering|waiting)\\s+[\\d.]+%"))
                    .count(), table.output());

            for (int frame = 1; frame <= FRAMES; frame++) {
                client.setFrameRenderFraction(project, frame, 1.0);
            }
            TesseraProcess.Result watch = TesseraProcess.run(work, START, "tracker", "watch", "--port",
                    String.valueOf(port), "--interval", "50", project);
            assertEquals(0, watch.exitCode(), watch.output());
            assertTrue(watch.output().contains("[##############################] 100.0%  40/40 frames complete"),
                    watch.output());
            assertTrue(watch.output().contains("Project done: " + project), watch.output());
        }

        TesseraProcess.Result nobody = TesseraProcess.run(work, START, "tracker", "projects", "--port",
                String.valueOf(TesseraProcess.freePort()));
        assertEquals(3, nobody.exitCode(), nobody.output());
        assertTrue(nobody.output().contains("no render tracker answers"), nobody.output());
    }

    private static int sum(AtomicIntegerArray a) {
        int s = 0;
        for (int i = 0; i < a.length(); i++) {
            s += a.get(i);
        }
        return s;
    }

    private static TesseraProcess.Result runWithEnv(Path work, java.util.Map<String, String> env, String... args) {
        return TesseraProcess.run(work, START, env, args);
    }

    /**
     * A blank token (given as {@code --token ""} or an empty {@code TESSERA_TRACKER_TOKEN}) would let anyone
     * in off loopback: it is refused before anything listens (issue 17).
     */
    @Test
    void blankTokensAreRefused() throws Exception {
        int port = TesseraProcess.freePort();
        var flag = runWithEnv(work.resolve("blank-flag"), java.util.Map.of(), "tracker", "serve", "--host", "0.0.0.0",
                "--port", String.valueOf(port), "--token", "");
        assertEquals(2, flag.exitCode(), flag.output());
        assertTrue(flag.output().contains("the access token is empty (--token)"), flag.output());
        var env = runWithEnv(work.resolve("blank-env"), java.util.Map.of("TESSERA_TRACKER_TOKEN", "  "), "tracker",
                "serve", "--host", "0.0.0.0", "--port", String.valueOf(port));
        assertEquals(2, env.exitCode(), env.output());
        assertTrue(env.output().contains("the access token is empty (TESSERA_TRACKER_TOKEN)"), env.output());
        assertTrue(!flag.output().contains("listening") && !env.output().contains("listening"));
    }

    /** A query verb with the wrong token says that the tracker refused it, not that no tracker answers. */
    @Test
    void aWrongTokenIsReportedAsRefused() throws Exception {
        int port = TesseraProcess.freePort();
        try (TesseraProcess tracker = TesseraProcess.start(work, "token-tracker", "tracker", "serve", "--port",
                String.valueOf(port), "--db", work.resolve("token-db").resolve("t").toString(), "--token", "right-token")) {
            awaitTracker(tracker, port, "right-token");
            var wrong = runWithEnv(work.resolve("wrong"), java.util.Map.of("TESSERA_TRACKER_TOKEN", "wrong-token"),
                    "tracker", "projects", "--port", String.valueOf(port));
            assertEquals(1, wrong.exitCode(), wrong.output());
            assertTrue(wrong.output().contains("refused the access token (HTTP 401)"), wrong.output());
            var none = TesseraProcess.run(work.resolve("none"), START, "tracker", "projects", "--port", String.valueOf(port));
            assertEquals(1, none.exitCode(), none.output());
            assertTrue(none.output().contains("refused the access token (HTTP 401, none was given)"), none.output());
            var right = runWithEnv(work.resolve("right"), java.util.Map.of("TESSERA_TRACKER_TOKEN", "right-token"),
                    "tracker", "projects", "--port", String.valueOf(port));
            assertEquals(0, right.exitCode(), right.output());
        }
    }
}
