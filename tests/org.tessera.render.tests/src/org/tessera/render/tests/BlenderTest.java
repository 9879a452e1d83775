// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.core.FrameRange;
import org.tessera.internal.render.blender.BlenderEngine;
import org.tessera.internal.render.blender.SceneFacts;
import org.tessera.internal.render.core.PngImage;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TilePlan;
import org.tessera.testing.OsgiServices;

/**
 * The Blender engine in-process: bands and an inner tile are pixel-identical to a plain
 * {@code blender -b scene.blend -f N}; scenes with a whole-image pass are rendered whole; errors are
 * Blender's own; a cancelled tile leaves no process and no folder.
 */
class BlenderTest {
    @TempDir
    Path dir;

    private static BlenderEngine blender() {
        return (BlenderEngine) RenderFixtures.engine("blender");
    }

    @Test
    void bandsOnThreeWorkersAndAnInnerTileEqualAPlainBlenderRender() throws Exception {
        Path blend = BlenderScenes.make(dir.resolve("plain"), "plain");
        RenderScene scene = RenderScene.ofFile(blend);
        SceneFacts facts = blender().inspect(scene);
        assertEquals("CYCLES", facts.engine());
        assertTrue(facts.adaptive() && !facts.wholeFrame(), facts.toString());
        assertEquals(List.of(96, 72, 1, 3), List.of(facts.width(), facts.height(), facts.frameStart(), facts.frameEnd()));

        RenderResult r = RenderFixtures.renderer().start(RenderRequest.of(scene, FrameRange.single(2), 96, 72,
                dir.resolve("out/p_####.png").toString()).withLocalWorkers(3).withBitDepth(16), null).await();
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertEquals(3, r.tilesRendered(), "one band per worker");
        PngImage reference = BlenderScenes.plainRender(blend, 2, dir.resolve("ref"));
        BlenderScenes.assertSameImage(reference, PngImage.read(r.written().get(0)), "3 bands of plain.blend");

        // a tile with all four edges inside the frame (adaptive sampling: rendered with a margin, then cropped)
        Tile inner = new Tile(30, 20, 40, 30);
        TilePixels t = blender().renderTile(scene, 2, inner, RenderSettings.of(96, 72));
        for (int y = 0; y < inner.height(); y++) {
            for (int x = 0; x < inner.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(reference.sample(inner.x() + x, inner.y() + y, c), t.sample(x, y, c),
                            "inner tile pixel (" + x + ", " + y + ")");
                }
            }
        }
        assertNotNull(t.rowSeconds(), "Blender's Sample lines give the tile's trace time");
        assertEquals(inner.height(), t.rowSeconds().length);
        assertTrue(t.rowSeconds()[0] > 0, "row cost " + t.rowSeconds()[0]);
    }

    @Test
    void aCompositedSceneIsRenderedAsWholeFramesEqualToPlainBlender() throws Exception {
        Path blend = BlenderScenes.make(dir.resolve("composite"), "composite");
        RenderScene scene = RenderScene.ofFile(blend);
        assertEquals(List.of("compositor-nodes"), blender().inspect(scene).wholeImage());
        TilePlan plan = blender().planTiles(scene, 96, 72, 3, null);
        assertEquals(List.of(new Tile(0, 0, 96, 72)), plan.tiles(), "a glare pass: frames are not split");
        RenderResult r = RenderFixtures.renderer().start(RenderRequest.of(scene, FrameRange.of(1, 2), 96, 72,
                dir.resolve("out/c_####.png").toString()).withLocalWorkers(3).withBitDepth(16), null).await();
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertEquals(2, r.tilesRendered(), "one tile per frame");
        for (int f = 1; f <= 2; f++) {
            BlenderScenes.assertSameImage(BlenderScenes.plainRender(blend, f, dir.resolve("ref" + f)),
                    PngImage.read(r.written().get(f - 1)), "composite.blend frame " + f);
        }
        // a band asked for anyway (a master without Blender plans bands): rendered whole on the node, cropped
        Tile band = new Tile(0, 24, 96, 24);
        TilePixels t = blender().renderTile(scene, 1, band, RenderSettings.of(96, 72));
        PngImage ref = PngImage.read(dir.resolve("ref1/ref_0001.png"));
        for (int y = 0; y < band.height(); y++) {
            for (int x = 0; x < band.width(); x++) {
                assertEquals(ref.sample(x, band.y() + y, 1), t.sample(x, y, 1), "band pixel (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void denoisingOnABlenderWithoutOpenImageDenoiseFailsWithBlendersMessage() throws Exception {
        Path blend = BlenderScenes.make(dir.resolve("denoise"), "denoise");
        RenderScene scene = RenderScene.ofFile(blend);
        assertTrue(blender().inspect(scene).wholeImage().contains("denoising"));
        BlenderScenes.Result plain = BlenderScenes.blender(dir, List.of("-b", blend.toString(), "-o",
                dir.resolve("d_####").toString(), "-f", "1"));
        RenderSettings s = RenderSettings.of(96, 72);
        if (plain.output().contains("Build without OpenImageDenoiser")) {
            SceneException e = assertThrows(SceneException.class, () -> blender().renderTile(scene, 1, s.fullFrame(), s));
            assertTrue(e.getMessage().contains("Build without OpenImageDenoiser"), e.getMessage());
        } else {
            // a Blender with OpenImageDenoise: the whole frame equals the plain render
            PngImage ref = PngImage.read(dir.resolve("d_0001.png"));
            TilePixels t = blender().renderTile(scene, 1, s.fullFrame(), s);
            BlenderScenes.assertSameImage(ref, new PngImage(96, 72, t.rgb()), "denoised frame");
        }
    }

    @Test
    void brokenAndUnsupportedScenesAreSceneErrorsWithBlendersMessage() throws Exception {
        Path bad = dir.resolve("bad/bad.blend");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "not a blend file\n");
        RenderSettings s = RenderSettings.of(16, 16);
        SceneException e = assertThrows(SceneException.class,
                () -> blender().renderTile(RenderScene.ofFile(bad), 1, s.fullFrame(), s));
        assertTrue(e.getMessage().contains("File format is not supported") && e.getMessage().contains("bad.blend"),
                e.getMessage());
        RenderResult r = RenderFixtures.renderer().start(RenderRequest.of(RenderScene.ofFile(bad), FrameRange.single(1), 16,
                16, dir.resolve("o_#.png").toString()), null).await();
        assertEquals(JobState.FAILED, r.state());
        assertTrue(r.error().contains("File format is not supported"), r.error());
        assertTrue(Files.notExists(dir.resolve("o_1.png")));

        Path eevee = BlenderScenes.make(dir.resolve("eevee"), "eevee");
        SceneException ee = assertThrows(SceneException.class,
                () -> blender().renderTile(RenderScene.ofFile(eevee), 1, s.fullFrame(), s));
        assertTrue(ee.getMessage().contains("BLENDER_EEVEE") && ee.getMessage().contains("Cycles"), ee.getMessage());
    }

    /** Issue 17: scenes are untrusted; Python stored in a .blend never runs on a node. */
    @Test
    void pythonCarriedByTheSceneNeverRuns() throws Exception {
        Path blend = BlenderScenes.make(dir.resolve("autoexec"), "autoexec");
        // the scene's script is live: with auto-execution on (-y) it runs and turns the sky red
        BlenderScenes.Result y = BlenderScenes.blender(dir, List.of("-b", "-y", blend.toString(), "-o",
                dir.resolve("y/y_####").toString(), "-f", "1"));
        assertTrue(y.output().contains("TESSERA-AUTOEXEC-RAN"), y.output());
        PngImage red = PngImage.read(dir.resolve("y/y_0001.png"));
        PngImage reference = BlenderScenes.plainRender(blend, 1, dir.resolve("ref"));
        assertTrue(red.sample(2, 2, 0) > reference.sample(2, 2, 0) && red.sample(2, 2, 2) < reference.sample(2, 2, 2),
                "the script's red sky");
        RenderSettings s = RenderSettings.of(96, 72);
        TilePixels t = blender().renderTile(RenderScene.ofFile(blend), 1, s.fullFrame(), s);
        BlenderScenes.assertSameImage(reference, new PngImage(96, 72, t.rgb()), "the engine's frame (script not run)");
    }

    /** The program comes from the configuration org.tessera.render.blender, applied to the running engine. */
    @Test
    void missingBlenderIsUnavailableWithAnInstallHint() throws Exception {
        org.osgi.service.cm.Configuration config = OsgiServices.get(org.osgi.service.cm.ConfigurationAdmin.class)
                .getConfiguration("org.tessera.render.blender", "?");
        RenderEngine engine = blender();
        assertTrue(engine.version().matches("\\d+\\.\\d+.*"), "Blender from the PATH answers first: " + engine.version());
        config.update(new java.util.Hashtable<>(java.util.Map.of("executable", dir.resolve("no-blender").toString())));
        try {
            awaitVersion(engine, true);
            RenderSettings s = RenderSettings.of(16, 16);
            EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                    () -> engine.renderTile(RenderScene.ofFile(dir.resolve("x.blend")), 1, s.fullFrame(), s));
            assertTrue(e.getMessage().contains("not installed") && e.getMessage().contains("apt-get install blender")
                    && e.getMessage().contains("no-blender") && e.getMessage().contains("org.tessera.render.blender"),
                    e.getMessage());
        } finally {
            config.delete();
        }
        awaitVersion(engine, false);
    }

    /** Configuration Admin tells the engine asynchronously: waits until its version is (or is no longer) unknown. */
    private static void awaitVersion(RenderEngine engine, boolean unknown) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (engine.version().equals("unknown") != unknown) {
            assertTrue(System.nanoTime() < deadline, "the engine did not take the configuration in 10 s");
            Thread.sleep(20);
        }
    }

    @Test
    void versionIsBlendersOwn() throws Exception {
        BlenderScenes.Result r = BlenderScenes.blender(dir, List.of("--version"));
        String first = r.output().lines().filter(l -> l.startsWith("Blender ")).findFirst().orElseThrow();
        assertEquals(first.substring("Blender ".length()).trim(), blender().version());
    }

    @Test
    void anInterruptedTileKillsBlenderAndRemovesItsFolder() throws Exception {
        Path blend = BlenderScenes.make(dir.resolve("slow"), "plain", 320, 240, 4096);
        RenderScene scene = RenderScene.ofFile(blend);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        // jobs of other tests may still be asking Blender about their scenes (in scratch folders of their own)
        long quiet = System.currentTimeMillis() + 60_000;
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(th -> th.getName().equals("tessera-blender-inspect"))
                && System.currentTimeMillis() < quiet) {
            Thread.sleep(100);
        }
        Set<Path> before = scratchFolders(tmp);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                RenderSettings s = RenderSettings.of(320, 240);
                blender().renderTile(scene, 1, s.fullFrame(), s);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (blenderProcesses(blend).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(blenderProcesses(blend).isEmpty(), "blender never started");
        Thread.sleep(1500);
        t.interrupt();
        t.join(20_000);
        assertFalse(t.isAlive(), "renderTile did not return after an interrupt");
        assertTrue(thrown.get() instanceof RenderException, String.valueOf(thrown.get()));
        assertEquals(List.of(), blenderProcesses(blend), "blender still runs after the cancel");
        Set<Path> left = scratchFolders(tmp);
        left.removeAll(before);
        assertEquals(Set.of(), left, "scratch folders left");
    }

    private static List<ProcessHandle> blenderProcesses(Path blend) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(blend.toString())
                && c.contains("--disable-autoexec")).orElse(false)).filter(ProcessHandle::isAlive).toList();
    }

    private static Set<Path> scratchFolders(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("tessera-blender-")).collect(Collectors.toSet());
        }
    }
}
