// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.render.core.PngImage;
import org.tessera.testing.TesseraProcess;
import org.tessera.testing.TesseraProcess.Result;

/** {@code tessera render} as a user runs it: the headless product as a real process. */
class RenderCliTest {
    @TempDir
    Path work;

    @Test
    void rendersFramesWithProgressAndPrintsTheirPaths() throws Exception {
        Path scenes = RenderFixtures.exampleScenes(work.resolve("scenes"));
        Result r = TesseraProcess.run(work, Duration.ofSeconds(90), "render", scenes.resolve("spheres.json").toString(),
                "--frames", "1 2", "--size", "64x48", "--workers", "2", "--out", work.resolve("out/s_####.png").toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("tiles 8/8 frames 2/2"), r.output());
        assertTrue(r.output().contains(work.resolve("out/s_0002.png").toString()), r.output());
        PngImage png = PngImage.read(work.resolve("out/s_0001.png"));
        assertEquals(64, png.width());
        assertEquals(48, png.height());
        Result grid = TesseraProcess.run(work, Duration.ofSeconds(90), "render", scenes.resolve("spheres.json").toString(),
                "--size", "64x48", "--tile-size", "16", "--workers", "2", "--out", work.resolve("grid/g_####.png").toString());
        assertEquals(0, grid.exitCode(), grid.output());
        assertTrue(grid.output().contains("tiles 12/12 frames 1/1"), "4 x 3 tiles of 16 px: " + grid.output());
        assertArrayEquals(png.rgb(), PngImage.read(work.resolve("grid/g_0001.png")).rgb(), "another tiling, the same frame");
        Result again = TesseraProcess.run(work, Duration.ofSeconds(90), "render", scenes.resolve("spheres.json").toString(),
                "--frames", "1 2", "--size", "64x48", "--out", work.resolve("out/s_####.png").toString());
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("skipped 2 frame(s)"), again.output());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Result r = TesseraProcess.run(work, Duration.ofSeconds(60), "render", "nope.json");
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("does not exist"), r.output());
        Result size = TesseraProcess.run(work, Duration.ofSeconds(60), "render", "--size", "big", "x.json");
        assertEquals(2, size.exitCode(), size.output());
        Result tile = TesseraProcess.run(work, Duration.ofSeconds(60), "render", "--tile-size", "0", "x.json");
        assertEquals(2, tile.exitCode(), tile.output());
    }
}
