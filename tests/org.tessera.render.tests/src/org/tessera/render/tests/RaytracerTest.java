// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tessera.core.FrameRange;
import org.tessera.internal.render.core.PngImage;
import org.tessera.internal.render.raytracer.Raytracer;
import org.tessera.render.core.EngineCapability;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.StereoEye;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TilePlan;
import org.tessera.render.raytracer.RaytracerScenes;

/** The built-in engine: tiling-independent pixels, native and Java kernels agreeing, scene errors. */
class RaytracerTest {
    @TempDir
    Path dir;

    private static short[] assemble(Raytracer rt, RenderScene scene, RenderSettings s, TilePlan plan) throws Exception {
        short[] canvas = new short[s.width() * s.height() * 3];
        for (Tile t : plan.tiles()) {
            TilePixels p = rt.renderTile(scene, t, s);
            p.validate(t);
            p.pasteInto(canvas, s.width());
        }
        return canvas;
    }

    @ParameterizedTest
    @ValueSource(strings = { "spheres.json", "teapot.json" })
    void anyTilingGivesTheSameImage(String name) throws Exception {
        RenderScene scene = RenderScene.ofFile(RenderFixtures.exampleScenes(dir).resolve(name));
        RenderSettings s = RenderSettings.of(96, 72).withAntialias(2);
        Raytracer rt = Raytracer.create();
        short[] whole = rt.renderTile(scene, s.fullFrame(), s).rgb();
        assertArrayEquals(whole, assemble(rt, scene, s, TilePlan.grid(96, 72, 7, 5)), "7x5 tiles");
        assertArrayEquals(whole, assemble(rt, scene, s, TilePlan.bands(96, 72, 5)), "5 bands");
        assertArrayEquals(whole, assemble(rt, scene, s, TilePlan.columns(96, 72, 3)), "3 columns");
        long lit = 0;
        for (short v : whole) {
            lit += v & 0xFFFF;
        }
        assertTrue(lit > 0, "the image is not black");
    }

    @ParameterizedTest
    @ValueSource(strings = { "spheres.json", "teapot.json" })
    void nativeAndJavaKernelsAgree(String name) throws Exception {
        Optional<Raytracer> nat = Raytracer.nativeRaytracer();
        assertTrue(nat.isPresent(), "native kernel must load from the fragment: " + Raytracer.nativeProblem());
        assertEquals("native", nat.get().kernelName());
        RenderScene scene = RenderScene.ofFile(RenderFixtures.exampleScenes(dir).resolve(name));
        RenderSettings s = RenderSettings.of(80, 60).withAntialias(2);
        short[] j = Raytracer.java().renderTile(scene, s.fullFrame(), s).rgb();
        short[] n = nat.get().renderTile(scene, s.fullFrame(), s).rgb();
        int max = RenderFixtures.maxDifference(j, n);
        assertTrue(max <= 257, "kernels differ by " + max + "/65535, more than 1/255");
    }

    @Test
    void pipelineFrameEqualsSingleTileAndAnimationMoves() throws Exception {
        Path scenes = RenderFixtures.exampleScenes(dir.resolve("s"));
        RenderScene scene = RenderScene.ofFile(scenes.resolve("spheres.json"));
        RenderEngine engine = RenderFixtures.engine(RaytracerScenes.ENGINE);
        assertTrue(engine.capabilities().contains(EngineCapability.STEREO));
        RenderRequest req = RenderRequest.of(scene, FrameRange.of(1, 2), 100, 70, dir.resolve("out/f_##.png").toString())
                .withLocalWorkers(3).withBitDepth(16);
        RenderResult r = RenderFixtures.renderer().start(req, null).await();
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertEquals(List.of(dir.resolve("out/f_01.png"), dir.resolve("out/f_02.png")), r.written());
        PngImage first = PngImage.read(r.written().get(0));
        RenderSettings s = RenderSettings.of(100, 70);
        short[] reference = Raytracer.create().renderTile(scene, s.fullFrame(), s).rgb();
        assertArrayEquals(reference, first.rgb(), "16-bit frame file == untiled render");
        PngImage second = PngImage.read(r.written().get(1));
        assertNotEquals(0, RenderFixtures.maxDifference(first.rgb(), second.rgb()), "clock 1 differs from clock 0");
    }

    @Test
    void nativeKernelCanBeSwitchedOff() {
        String old = System.getProperty("tessera.native");
        System.setProperty("tessera.native", "false");
        try {
            assertEquals("java", Raytracer.create().kernelName());
        } finally {
            if (old == null) {
                System.clearProperty("tessera.native");
            } else {
                System.setProperty("tessera.native", old);
            }
        }
        // the default: Embree where the build had its headers, else the C twin
        assertEquals(RaytracerKernelsTest.embreeBuilt() ? "embree" : "native", Raytracer.create().kernelName(),
                Raytracer.embreeProblem() + " / " + Raytracer.nativeProblem());
    }

    @Test
    void stereoEyesDiffer() throws Exception {
        RenderScene scene = RenderScene.ofFile(RenderFixtures.exampleScenes(dir).resolve("spheres.json"));
        RenderSettings s = RenderSettings.of(64, 48);
        Raytracer rt = Raytracer.java();
        short[] left = rt.renderTile(scene, s.fullFrame(), s.withEye(StereoEye.LEFT)).rgb();
        short[] right = rt.renderTile(scene, s.fullFrame(), s.withEye(StereoEye.RIGHT)).rgb();
        assertNotEquals(0, RenderFixtures.maxDifference(left, right));
    }

    @Test
    void brokenScenesAreSceneExceptionsNamingTheProblem() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"objects\":[{\"type\":\"cube\"}]}");
        RenderSettings s = RenderSettings.of(8, 8);
        SceneException e = assertThrows(SceneException.class,
                () -> Raytracer.java().renderTile(RenderScene.ofFile(bad), s.fullFrame(), s));
        assertTrue(e.getMessage().contains("unknown type \"cube\""), e.getMessage());
        Files.writeString(bad, "{\"objects\":[{\"type\":\"mesh\",\"obj\":\"missing.obj\"}]}");
        e = assertThrows(SceneException.class, () -> Raytracer.java().renderTile(RenderScene.ofFile(bad), s.fullFrame(), s));
        assertTrue(e.getMessage().contains("missing.obj"), e.getMessage());
        Files.writeString(bad, "{\"objects\":[");
        e = assertThrows(SceneException.class, () -> Raytracer.java().renderTile(RenderScene.ofFile(bad), s.fullFrame(), s));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void exportedPovSceneParsesInPovray() throws Exception {
        Path scenes = RenderFixtures.exampleScenes(dir);
        Path pov = dir.resolve("teapot.pov");
        RaytracerScenes.exportPov(scenes.resolve("teapot.json"), 0, 64, 48, pov);
        String text = Files.readString(pov);
        assertTrue(text.contains("mesh {") && text.contains("camera {"), text.substring(0, 200));
        RenderEngine povray = RenderFixtures.engine("povray");
        RenderSettings s = RenderSettings.of(64, 48);
        TilePixels p = povray.renderTile(RenderScene.ofFile(pov), 1, s.fullFrame(), s);
        long sum = 0;
        for (short v : p.rgb()) {
            sum += v & 0xFFFF;
        }
        assertFalse(sum == 0, "POV-Ray rendered the exported scene black");
    }
}
