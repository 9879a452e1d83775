// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tessera.core.FrameRange;
import org.tessera.internal.render.core.PngImage;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.Tile;

/** The POV-Ray engine: bands on 3 workers assembled == one full povray render; clock animation; errors. */
class PovrayTest {
    @TempDir
    Path dir;

    private static RenderEngine povray() {
        return RenderFixtures.engine("povray");
    }

    private static short[] fullRender(RenderScene scene, RenderSettings s) throws Exception {
        return povray().renderTile(scene, 0, s.fullFrame(), s).rgb();
    }

    @ParameterizedTest
    @ValueSource(strings = { "advanced/benchmark/benchmark.pov", "advanced/biscuit.pov", "objects/blob.pov" })
    void tilesOnThreeWorkersEqualOneFullRender(String name) throws Exception {
        RenderScene scene = RenderScene.ofFile(RenderFixtures.POVRAY_SCENES.resolve(name));
        boolean benchmark = name.contains("benchmark");
        if (benchmark) {
            // benchmark.pov's area light is jittered: random samples drawn in render order, so its penumbra
            // differs between any two renders of different regions. Without jitter it is deterministic.
            Path copy = dir.resolve("scene/benchmark.pov");
            Files.createDirectories(copy.getParent());
            String text = Files.readString(scene.file());
            assertTrue(text.contains("      jitter\n"), "benchmark.pov has a jittered area light");
            Files.writeString(copy, text.replace("      jitter\n", "\n"));
            scene = RenderScene.ofFile(copy);
        }
        // benchmark.pov costs ~15 s of parsing and photon shooting per process here, whatever the size
        int w = benchmark ? 64 : 160;
        int h = w * 3 / 4;
        RenderRequest req = RenderRequest.of(scene, FrameRange.single(1), w, h, dir.resolve("f_#.png").toString())
                .withLocalWorkers(3).withBitDepth(16);
        RenderResult r = RenderFixtures.renderer().start(req, null).await();
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertEquals(3, r.tilesRendered(), "one band per worker");
        short[] tiled = PngImage.read(dir.resolve("f_1.png")).rgb();
        short[] whole = fullRender(scene, RenderSettings.of(w, h));
        assertArrayEquals(whole, tiled, name + ": assembled frame differs from a single povray render");
    }

    @Test
    void antialiasedTilesAreCloseToAFullRender() throws Exception {
        RenderScene scene = RenderScene.ofFile(RenderFixtures.POVRAY_SCENES.resolve("advanced/biscuit.pov"));
        RenderSettings s = RenderSettings.of(160, 120).withAntialias(3);
        short[] whole = fullRender(scene, s);
        short[] canvas = new short[whole.length];
        for (Tile t : org.tessera.render.core.TilePlan.bands(160, 120, 6).tiles()) {
            povray().renderTile(scene, 0, t, s).pasteInto(canvas, 160);
        }
        double psnr = RenderFixtures.psnr(whole, canvas);
        int max = RenderFixtures.maxDifference(whole, canvas);
        System.out.printf("POV-Ray +A0.3 +AM2 +R3 biscuit 160x120, 6 bands vs full: PSNR %.1f dB, max diff %d/65535%n",
                psnr, max);
        assertTrue(psnr > 35, "PSNR " + psnr);
    }

    @Test
    void fourFrameClockAnimation() throws Exception {
        Path pov = dir.resolve("anim.pov");
        Files.writeString(pov, """
                camera { location <0, 1, -5> look_at <0, 0.5, 0> }
                light_source { <4, 6, -5> color rgb 1 }
                plane { y, 0 pigment { checker color rgb 1 color rgb 0.2 } }
                sphere { <-2 + 4 * clock, 0.6, 0>, 0.6 pigment { color rgb <1, 0.3, 0.2> } finish { phong 0.6 } }
                """);
        RenderScene scene = RenderScene.ofFile(pov);
        RenderResult r = RenderFixtures.renderer().start(
                RenderRequest.of(scene, FrameRange.of(1, 4), 64, 48, dir.resolve("out/a_##.png").toString())
                        .withLocalWorkers(3).withBitDepth(16), null).await();
        assertEquals(JobState.FINISHED, r.state(), r.error());
        assertEquals(4, r.written().size());
        short[] previous = null;
        for (int f = 1; f <= 4; f++) {
            short[] frame = PngImage.read(dir.resolve(String.format("out/a_%02d.png", f))).rgb();
            short[] expected = fullRender(scene, RenderSettings.of(64, 48).withClock((f - 1) / 3.0));
            assertArrayEquals(expected, frame, "frame " + f + " == povray +K" + (f - 1) / 3.0);
            if (previous != null) {
                assertTrue(RenderFixtures.maxDifference(previous, frame) > 0, "frame " + f + " moved");
            }
            previous = frame;
        }
    }

    @Test
    void parseErrorsQuotePovray() throws Exception {
        Path pov = dir.resolve("broken.pov");
        Files.writeString(pov, "sphere { <0,0,0> 1 pigmnt { red } }\n");
        RenderSettings s = RenderSettings.of(16, 16);
        SceneException e = assertThrows(SceneException.class,
                () -> povray().renderTile(RenderScene.ofFile(pov), 1, s.fullFrame(), s));
        assertTrue(e.getMessage().contains("broken.pov") && e.getMessage().contains("Parse Error"), e.getMessage());
        RenderResult r = RenderFixtures.renderer().start(
                RenderRequest.of(RenderScene.ofFile(pov), FrameRange.single(1), 16, 16, dir.resolve("o.png").toString()),
                null).await();
        assertEquals(JobState.FAILED, r.state());
        assertTrue(r.error().contains("Parse Error"), r.error());
        assertEquals(List.of(), r.written());
        assertTrue(Files.notExists(dir.resolve("o_####.png".replace("####", "0001"))));
    }

    @Test
    void missingPovrayIsUnavailableWithInstallHint() {
        String old = System.getProperty("tessera.povray");
        System.setProperty("tessera.povray", dir.resolve("no-povray").toString());
        try {
            RenderSettings s = RenderSettings.of(16, 16);
            EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                    () -> povray().renderTile(RenderScene.ofFile(dir.resolve("x.pov")), 1, s.fullFrame(), s));
            assertTrue(e.getMessage().contains("no-povray"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("tessera.povray");
            } else {
                System.setProperty("tessera.povray", old);
            }
        }
    }
}
