// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.core.FrameRange;
import org.tessera.internal.render.core.PngImage;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.TileWorker;
import org.tessera.testing.TesseraProcess;

/**
 * Blender scenes across real node processes ({@code tessera node serve}): an animated camera's frames
 * from bands on 3 nodes, a node killed mid-frame, and {@code tessera render shot.blend --cluster …} give
 * frames byte-identical to plain {@code blender -b scene.blend -f N} renders.
 */
class BlenderClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    @TempDir
    static Path work;
    private static final List<TesseraProcess> nodes = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();

    @BeforeAll
    static void startNodes() {
        RenderFixtures.startNodes(work, "bnode", 4, nodes, ports, "blender"); // 3 nodes + 1 to kill
    }

    @AfterAll
    static void stopNodes() {
        nodes.forEach(TesseraProcess::close);
    }

    private static List<TileWorker> workers(int... indexes) {
        return RenderFixtures.remoteWorkers(ports, 1, "blender-test", indexes);
    }

    @Test
    void animatedCameraOnThreeNodesEqualsPlainBlenderFrames() throws Exception {
        Path blend = BlenderScenes.make(work.resolve("anim"), "anim");
        RenderResult r = RenderFixtures.renderer().start(RenderRequest.of(RenderScene.ofFile(blend), FrameRange.of(1, 3),
                96, 72, work.resolve("anim-out/a_####.png").toString()).withBitDepth(16).withWorkers(workers(0, 1, 2)),
                null).await(Duration.ofMinutes(4));
        assertNotNull(r, "job did not end within 4 minutes");
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertEquals(9, r.tilesRendered(), "3 bands per frame");
        PngImage previous = null;
        for (int f = 1; f <= 3; f++) {
            PngImage frame = PngImage.read(r.written().get(f - 1));
            BlenderScenes.assertSameImage(BlenderScenes.plainRender(blend, f, work.resolve("anim-ref")), frame,
                    "anim.blend frame " + f + " from 3 nodes");
            if (previous != null) {
                assertTrue(RenderFixtures.maxDifference(previous.rgb(), frame.rgb()) > 0, "the camera moved at frame " + f);
            }
            previous = frame;
        }
    }

    @Test
    void aNodeKilledMidFrameStillGivesThePlainBlenderFrame() throws Exception {
        Path blend = BlenderScenes.make(work.resolve("kill"), "plain", 96, 72, 64);
        AtomicBoolean killed = new AtomicBoolean();
        var job = RenderFixtures.renderer().start(RenderRequest.of(RenderScene.ofFile(blend), FrameRange.of(1, 2), 96, 72,
                work.resolve("kill-out/k_####.png").toString()).withBitDepth(16).withWorkers(workers(0, 1, 3)), p -> {
                    if (p.tilesDone() >= 1 && killed.compareAndSet(false, true)) {
                        nodes.get(3).kill();
                    }
                });
        RenderResult r = job.await(Duration.ofMinutes(4));
        assertNotNull(r, "job did not end within 4 minutes");
        assertTrue(killed.get(), "the node was never killed");
        assertEquals(JobState.FINISHED, r.state(), r.error());
        // the killed node's Blender (run by bwrap --die-with-parent) did not live on as an orphan
        String killedArea = work.resolve("bnode3").toString();
        long deadline = System.currentTimeMillis() + 10_000;
        List<String> orphans;
        do {
            orphans = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                    .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains(killedArea)).toList();
        } while (!orphans.isEmpty() && System.currentTimeMillis() < deadline && sleep(200));
        assertEquals(List.of(), orphans, "processes of the killed node still run");
        for (int f = 1; f <= 2; f++) {
            BlenderScenes.assertSameImage(BlenderScenes.plainRender(blend, f, work.resolve("kill-ref")),
                    PngImage.read(r.written().get(f - 1)), "frame " + f + " after a node was killed");
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void renderVerbWithClusterRendersBlendFrames() throws Exception {
        Path blend = BlenderScenes.make(work.resolve("shot"), "anim");
        Path shot = blend.resolveSibling("shot.blend");
        Files.move(blend, shot);
        Path out = work.resolve("verb-out");
        var result = TesseraProcess.run(work.resolve("verb"), Duration.ofMinutes(4), "render", shot.toString(), "--frames",
                "1 2", "--size", "96x72", "--bits", "16", "--out", out.resolve("shot_####.png").toString(), "--cluster",
                "127.0.0.1:" + ports.get(0) + " 127.0.0.1:" + ports.get(1));
        assertEquals(0, result.exitCode(), result.output());
        for (int f = 1; f <= 2; f++) {
            BlenderScenes.assertSameImage(BlenderScenes.plainRender(shot, f, work.resolve("verb-ref")),
                    PngImage.read(out.resolve(String.format("shot_%04d.png", f))), "tessera render shot.blend frame " + f);
        }
    }

    /** {@code tessera demo --engine blender}: Blender's own demo scene on 2 node servers, frames equal to plain blender. */
    @Test
    void demoWithBlenderGivesThePlainBlenderFrames() throws Exception {
        Path demo = work.resolve("demo");
        var result = TesseraProcess.run(work.resolve("demo-process"), Duration.ofMinutes(4), "demo", "--engine", "blender",
                "--work", demo.toString(), "--nodes", "2");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("Summary:  3 frames"), result.output());
        Path blend = demo.resolve("scene/demo.blend");
        for (int f = 1; f <= 3; f++) {
            BlenderScenes.assertSameImage(BlenderScenes.plainRender(blend, f, work.resolve("demo-ref")),
                    PngImage.read(demo.resolve(String.format("images/demo_%04d.png", f))), "demo frame " + f);
        }
        long nodeLines = result.output().lines().filter(l -> l.matches("\\s+127\\.0\\.0\\.1:\\d+\\s+\\d+ tiles")).count();
        assertEquals(2, nodeLines, "tiles from both nodes:\n" + result.output());
    }

    /** Without Blender the Blender demo is unavailable (exit 3) and says how to install it. */
    @Test
    void demoWithoutBlenderExitsThreeWithAnInstallHint() throws Exception {
        Path missing = work.resolve("no-such-blender");
        // the process's configuration, given the standard way: an OSGi Configurator resource at start
        Path config = work.resolve("no-blender.json");
        Files.writeString(config, "{\":configurator:resource-version\": 1, \":configurator:symbolic-name\": \"tessera.test\", "
                + "\":configurator:version\": \"1.0.0\", \"org.tessera.render.blender\": {\"executable\": \""
                + missing + "\"}}");
        try (TesseraProcess p = TesseraProcess.start(TesseraProcess.productHome(), List.of("-Xmx512m",
                "-Dconfigurator.initial=" + config.toUri()), java.util.Map.of(), work.resolve("demo-missing"), "run", "demo", "--engine",
                "blender", "--work", work.resolve("demo-missing/work").toString(), "--nodes", "1")) {
            assertTrue(p.process().waitFor(2, java.util.concurrent.TimeUnit.MINUTES), "demo did not end:\n" + p.output());
            assertEquals(3, p.process().exitValue(), p.output());
            assertTrue(p.output().contains("Blender is not installed") && p.output().contains("apt-get install blender"),
                    p.output());
            assertTrue(Files.notExists(work.resolve("demo-missing/work/images/demo_0001.png")));
        }
    }
}
