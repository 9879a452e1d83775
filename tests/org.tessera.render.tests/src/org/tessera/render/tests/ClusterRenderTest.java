// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.core.FrameRange;
import org.tessera.http.HttpEndpoint;
import org.tessera.internal.render.core.PngImage;
import org.tessera.internal.render.core.RemoteTileWorker;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TileWire;
import org.tessera.render.core.TileWorker;
import org.tessera.stats.core.FrameStat;
import org.tessera.stats.core.FrameStats;
import org.tessera.stats.core.StatsRecorder;
import org.tessera.testing.OsgiServices;
import org.tessera.testing.TesseraProcess;
import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.FrameStatus;
import org.tessera.tracker.core.RenderTracker;

/**
 * The main job across real node server processes on loopback ({@code tessera node serve}): tiles of
 * the built-in engine and of POV-Ray rendered on 3 nodes give the same frames as one in-process
 * render; a node killed with {@code kill -9} mid-frame costs nothing but retries; with every node dead
 * the job fails clearly, leaves no frame file and is marked failed in the tracker; the tracker and the
 * stats files agree on what was rendered; {@code tessera demo} runs as a process.
 */
class ClusterRenderTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Deleted by JUnit after {@code @AfterAll} has stopped the processes writing into it. */
    @TempDir
    static Path work;
    private static final List<TesseraProcess> nodes = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();

    @BeforeAll
    static void startNodes() {
        RenderFixtures.startNodes(work, "node", 4, nodes, ports, "raytracer", "povray"); // 3 nodes + 1 to kill
    }

    @AfterAll
    static void stopNodes() {
        nodes.forEach(TesseraProcess::close);
    }

    private static List<TileWorker> workers(int... indexes) {
        return RenderFixtures.remoteWorkers(ports, 2, "render-test", indexes);
    }

    private static RenderResult run(RenderRequest request) throws Exception {
        RenderResult r = RenderFixtures.renderer().start(request, null).await(Duration.ofMinutes(2));
        assertNotNull(r, "job did not end within 2 minutes");
        return r;
    }

    private static RenderScene spheres() {
        return RenderScene.ofFile(RenderFixtures.exampleScenes(work.resolve("scenes-" + System.nanoTime()))
                .resolve("spheres.json"));
    }

    @Test
    void builtInEngineOnThreeNodesMatchesInProcessAndIsTrackedAndInStats() throws Exception {
        RenderScene scene = spheres();
        Path out = work.resolve("cluster-rt");
        RenderRequest request = RenderRequest.of(scene, FrameRange.of(1, 3), 160, 120,
                out.resolve("s_####.png").toString()).withEngine("raytracer").withWorkers(workers(0, 1, 2))
                .withProject("cluster-rt-" + System.nanoTime(), "tester");
        RenderResult r = run(request);
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertEquals(3, r.written().size());

        RenderResult local = run(RenderRequest.of(scene, FrameRange.of(1, 3), 160, 120,
                work.resolve("local-rt").resolve("s_####.png").toString()).withEngine("raytracer").withLocalWorkers(1));
        assertEquals(JobState.FINISHED, local.state(), local.error());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(PngImage.read(local.written().get(i)).rgb(), PngImage.read(r.written().get(i)).rgb(),
                    "frame " + (i + 1) + " from 3 nodes differs from the in-process render");
        }

        // tracker: every frame done, with its image path
        RenderTracker tracker = OsgiServices.get(RenderTracker.class);
        List<FrameInfo> frames = tracker.getAllFramesInfo(request.project());
        assertEquals(3, frames.size());
        for (FrameInfo f : frames) {
            assertEquals(FrameStatus.DONE, f.status(), "frame " + f.frame());
            assertEquals(request.frameFile(f.frame()).toAbsolutePath().toString(),
                    tracker.getImagePath(request.project(), f.frame()));
        }
        assertTrue(tracker.isProjectDone(request.project()));

        // stats: the frame stats file of the job, decoded, agrees with the tracker
        StatsRecorder stats = OsgiServices.get(StatsRecorder.class);
        Path file = null;
        long deadline = System.currentTimeMillis() + 10_000;
        FrameStats decoded = null;
        while (System.currentTimeMillis() < deadline) { // events reach the recorder asynchronously
            stats.flush();
            try (var files = Files.list(stats.folder().resolve("frames"))) {
                for (Path p : files.toList()) {
                    FrameStats fs = FrameStats.load(p);
                    if (fs.frameCount() == 3 && fs.job().equals(r.jobId())) {
                        file = p;
                        decoded = fs;
                    }
                }
            } catch (IOException e) {
                // folder not there yet
            }
            if (decoded != null) {
                break;
            }
            Thread.sleep(200);
        }
        assertNotNull(decoded, "no frame stats with 3 frames for job " + r.jobId() + " under " + stats.folder());
        assertEquals(frames.size(), decoded.frameCount(), "frames in " + file + " vs the tracker");
        for (int i = 0; i < decoded.frameCount(); i++) {
            FrameStat fs = decoded.frame(i);
            String log = tracker.getFrameLog(request.project(), frames.get(i).frame());
            double trackerSeconds = renderedSeconds(log);
            // the stats store render time in 5-second units; the tracker in tenths of seconds
            assertTrue(Math.abs(fs.renderSeconds() - trackerSeconds) <= 5.0,
                    "frame " + frames.get(i).frame() + ": stats " + fs.renderSeconds() + " s, tracker " + trackerSeconds
                            + " s (" + log + ")");
        }
    }

    private static double renderedSeconds(String log) {
        var m = java.util.regex.Pattern.compile("rendered in ([0-9.]+) s").matcher(log);
        assertTrue(m.find(), "no render time in the tracker log: " + log);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void povraySceneOnThreeNodesMatchesOnePovrayRender() throws Exception {
        Path dir = work.resolve("biscuit");
        Files.createDirectories(dir);
        Files.copy(RenderFixtures.POVRAY_SCENES.resolve("advanced/biscuit.pov"), dir.resolve("biscuit.pov"));
        RenderScene scene = RenderScene.ofFile(dir.resolve("biscuit.pov"));
        RenderResult r = run(RenderRequest.of(scene, FrameRange.of(1, 1), 160, 120,
                work.resolve("biscuit-out").resolve("b_####.png").toString()).withEngine("povray")
                .withBitDepth(16).withWorkers(workers(0, 1, 2)));
        assertEquals(JobState.FINISHED, r.state(), r.error());
        TilePixels single = RenderFixtures.engine("povray").renderTile(scene, 1, new org.tessera.render.core.Tile(0, 0, 160, 120),
                RenderSettings.of(160, 120));
        assertArrayEquals(single.rgb(), PngImage.read(r.written().get(0)).rgb(),
                "biscuit.pov from 3 nodes differs from one povray render");
    }

    @Test
    void aPovrayParseErrorOnANodeReachesTheMasterWhole() throws Exception {
        Path pov = PovrayTest.angleInAVector(work.resolve("syntax-error-" + System.nanoTime()));
        RenderResult r = run(RenderRequest.of(RenderScene.ofFile(pov), FrameRange.single(1), 32, 24,
                work.resolve("syntax-out").resolve("s_####.png").toString()).withEngine("povray").withWorkers(workers(0, 1)));
        assertEquals(JobState.FAILED, r.state());
        System.out.println("POV-Ray parse error from a node, as the master reports it:\n" + r.error());
        assertTrue(r.error().contains("Parse Error: Expected '>', angle found instead"), r.error());
        assertTrue(r.error().contains("\n  Fatal error in parser: Cannot parse input."), "a line break, not \\n: " + r.error());
        assertFalse(r.error().contains("\\n") || r.error().contains("\\u"), r.error());
    }

    @Test
    void aNodeAnsweringMalformedTilesIsRejectedAndItsTilesRenderedElsewhere() throws Exception {
        // a node that speaks the protocol but answers every tile with a header and too few samples
        AtomicInteger asked = new AtomicInteger();
        try (HttpEndpoint liar = HttpEndpoint.builder().name("liar-node").maxRequestBytes(64L << 20)
                .route("/v1/scenes", x -> x.respond(204, "text/plain", new byte[0]))
                .route("/v1/render", x -> {
                    x.body();
                    asked.incrementAndGet();
                    byte[] answer = new byte[24 + 600];
                    java.nio.ByteBuffer.wrap(answer).putInt(TileWire.MAGIC).putInt(TileWire.VERSION).putInt(0).putInt(0)
                            .putInt(10).putInt(10);
                    x.respond(200, "application/octet-stream", answer);
                }).start()) {
            RenderScene scene = spheres();
            List<TileWorker> places = new ArrayList<>(workers(0));
            places.add(new RemoteTileWorker(ClusterNode.of("127.0.0.1", liar.port()), 2, null, "render-test"));
            RenderResult r = run(RenderRequest.of(scene, FrameRange.single(1), 160, 120,
                    work.resolve("liar").resolve("l_#.png").toString()).withEngine("raytracer").withWorkers(places));
            assertEquals(JobState.FINISHED, r.state(), r.error());
            assertTrue(asked.get() >= 1, "the lying node was never asked");
            // every malformed answer was rejected and its tile re-queued; 3 strikes blocklist the liar
            // (its second connection may have one more tile in flight by then)
            assertEquals(asked.get(), r.tilesRetried(), "tiles re-queued vs malformed answers");
            assertTrue(asked.get() <= 4, "the liar kept getting tiles after 3 strikes: " + asked.get());
            RenderResult local = run(RenderRequest.of(scene, FrameRange.single(1), 160, 120,
                    work.resolve("liar-ref").resolve("l_#.png").toString()).withEngine("raytracer").withLocalWorkers(2));
            assertArrayEquals(PngImage.read(local.written().get(0)).rgb(), PngImage.read(r.written().get(0)).rgb(),
                    "a frame with rejected tiles differs from the reference");
        }
    }

    @Test
    void nodeKilledMidFrameStillGivesTheSameFrame() throws Exception {
        RenderScene scene = spheres();
        AtomicBoolean killed = new AtomicBoolean();
        RenderRequest request = RenderRequest.of(scene, FrameRange.of(1, 2), 320, 240,
                work.resolve("kill").resolve("k_####.png").toString()).withEngine("raytracer")
                .withWorkers(workers(0, 1, 3));
        var job = RenderFixtures.renderer().start(request, p -> {
            if (p.tilesDone() >= 8 && killed.compareAndSet(false, true)) {
                nodes.get(3).kill();
            }
        });
        RenderResult r = job.await(Duration.ofMinutes(2));
        assertNotNull(r);
        assertTrue(killed.get(), "the node was never killed");
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertEquals(2, r.written().size());
        RenderResult local = run(RenderRequest.of(scene, FrameRange.of(1, 2), 320, 240,
                work.resolve("kill-ref").resolve("k_####.png").toString()).withEngine("raytracer").withLocalWorkers(2));
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(PngImage.read(local.written().get(i)).rgb(), PngImage.read(r.written().get(i)).rgb(),
                    "frame " + (i + 1) + " after a node was killed differs from the reference");
        }
    }

    @Test
    void allNodesDeadFailsClearlyMarksTheTrackerAndWritesNoFrame() throws Exception {
        List<TileWorker> dead = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            dead.add(new RemoteTileWorker(ClusterNode.of("127.0.0.1", TesseraProcess.freePort()), 2, null, "render-test"));
        }
        String project = "dead-" + System.nanoTime();
        Path out = work.resolve("dead");
        RenderRequest request = RenderRequest.of(spheres(), FrameRange.of(1, 2), 64, 48,
                out.resolve("d_####.png").toString()).withEngine("raytracer").withWorkers(dead)
                .withProject(project, "tester");
        RenderResult r = run(request);
        assertEquals(JobState.FAILED, r.state());
        assertTrue(r.error().contains("all 2 workers failed") && r.error().contains("connection refused"), r.error());
        assertTrue(r.written().isEmpty());
        assertFalse(Files.exists(request.frameFile(1)) || Files.exists(request.frameFile(2)), "a frame file was written");
        RenderTracker tracker = OsgiServices.get(RenderTracker.class);
        List<FrameInfo> frames = tracker.getAllFramesInfo(project);
        assertEquals(2, frames.size());
        frames.forEach(f -> assertEquals(FrameStatus.ERROR, f.status(), "frame " + f.frame()));
        assertFalse(tracker.isProjectDone(project));
    }

    /**
     * A node keeps unpacked scenes and POV-Ray's scratch files in its temporary folder ({@code java.io.tmpdir},
     * which {@link TesseraProcess} points into the test's folder); stopped with SIGTERM, as an operator stops
     * it, it leaves nothing there, so a farm's /tmp does not fill up.
     */
    @Test
    void aNodeStoppedWithSigtermLeavesNoTemporaryFiles() throws Exception {
        int port = TesseraProcess.freePort();
        Path povDir = Files.createDirectories(work.resolve("tmpcheck-pov"));
        Files.copy(RenderFixtures.POVRAY_SCENES.resolve("advanced/biscuit.pov"), povDir.resolve("biscuit.pov"));
        try (TesseraProcess node = TesseraProcess.start(work, "tmpcheck-node", "node", "serve", "--port",
                String.valueOf(port))) {
            node.awaitLine(l -> l.startsWith("Node listening on http://127.0.0.1:"), WAIT);
            List<TileWorker> one = List.of(new RemoteTileWorker(ClusterNode.of("127.0.0.1", port), 2, null, "render-test"));
            RenderResult rt = run(RenderRequest.of(spheres(), FrameRange.single(1), 64, 48,
                    work.resolve("tmpcheck-out").resolve("s_#.png").toString()).withEngine("raytracer").withWorkers(one));
            assertEquals(JobState.FINISHED, rt.state(), rt.error());
            RenderResult pov = run(RenderRequest.of(RenderScene.ofFile(povDir.resolve("biscuit.pov")), FrameRange.single(1),
                    64, 48, work.resolve("tmpcheck-out").resolve("b_#.png").toString()).withEngine("povray")
                    .withWorkers(one));
            assertEquals(JobState.FINISHED, pov.state(), pov.error());
            // the check below can fail: while the node runs, its scene cache is in its configuration area
            // (the node bundle's data area: owner-only, not a world-writable place such as /tmp)
            Path configuration = node.tempDir().resolveSibling("configuration");
            List<Path> caches = sceneCaches(configuration);
            assertEquals(1, caches.size(), "no scene cache in the node's configuration area " + configuration);
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(caches.get(0))), "the scene cache must be private to the node");
            try (var files = Files.list(caches.get(0))) {
                Path scene = files.findFirst().orElseThrow();
                assertEquals("r-xr-x---", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(scene)));
            }
            node.close();
            assertFalse(node.process().isAlive(), "the node did not stop\n" + node.output());
            // 143 = ended by SIGTERM through the shutdown hooks; 137 would mean close() had to kill -9 it
            assertEquals(143, node.process().exitValue(), "the node did not stop on SIGTERM\n" + node.output());
            try (var left = Files.walk(node.tempDir())) {
                List<Path> files = left.filter(f -> !f.equals(node.tempDir())).toList();
                assertTrue(files.isEmpty(), "left in the node's temporary folder after SIGTERM: " + files);
            }
            assertEquals(List.of(), sceneCaches(node.tempDir().resolveSibling("configuration")),
                    "the scene cache must be removed when the node stops");
        }
    }

    @Test
    void demoRunsAsAProcess() throws Exception {
        Path demo = work.resolve("demo");
        var result = TesseraProcess.run(work.resolve("demo-process"), Duration.ofMinutes(2), "demo", "--work",
                demo.toString(), "--nodes", "3");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("Summary:  4 frames"), result.output());
        for (int f = 1; f <= 4; f++) {
            Path png = demo.resolve("images").resolve(String.format("spheres_%04d.png", f));
            assertTrue(Files.size(png) > 1000, png + " missing or empty");
        }
        assertTrue(Files.exists(demo.resolve("tracker").resolve("tracker.mv.db")), result.output());
        try (var s = Files.list(demo.resolve("stats").resolve("frames"))) {
            List<Path> files = s.toList();
            assertEquals(1, files.size(), files.toString());
            assertEquals(4, FrameStats.load(files.get(0)).frameCount());
        }
        // tiles came from all 3 nodes
        long nodeLines = result.output().lines().filter(l -> l.matches("\\s+127\\.0\\.0\\.1:\\d+\\s+\\d+ tiles")).count();
        assertEquals(3, nodeLines, result.output());
    }

    /** The nodes' unpacked-scene folders ({@code scenes/node-*}) under a configuration area. */
    private static List<Path> sceneCaches(Path configuration) throws java.io.IOException {
        try (var walk = Files.walk(configuration)) {
            return walk.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("scenes")
                    && p.getFileName().toString().matches("(n|node-)[0-9]+-[0-9]+")).toList();
        }
    }
}
