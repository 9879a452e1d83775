// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
    void povrayOptionsThatWouldBreakTilingAreRefusedByName() throws Exception {
        Path pov = work.resolve("scene/shot.pov");
        Files.createDirectories(pov.getParent());
        Files.writeString(pov, """
                camera { location <0, 1, -4> look_at <0, 0.5, 0> }
                light_source { <3, 5, -4> color rgb 1 }
                sphere { <0, 0.6, 0>, 0.6 pigment { color rgb <1, 0.4, 0.2> } }
                """);
        Path out = work.resolve("out/shot_####.png");
        Result r = TesseraProcess.run(work, Duration.ofSeconds(90), "render", pov.toString(), "--size", "32x24", "--out",
                out.toString(), "--povray", "+Q9 +Oevil.png");
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("POV-Ray option +Oevil.png is not allowed"), r.output());
        Path ini = work.resolve("shot.ini");
        Files.writeString(ini, "; a user's INI\nQuality=9\nPre_Scene_Command=touch pwned\n");
        r = TesseraProcess.run(work, Duration.ofSeconds(90), "render", pov.toString(), "--size", "32x24", "--out",
                out.toString(), "--ini", ini.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("INI line 3: Pre_Scene_Command=touch pwned is not allowed: POV-Ray would run a "
                + "shell command"), r.output());
        Files.writeString(ini, "Input_File_Name=other.pov\n");
        r = TesseraProcess.run(work, Duration.ofSeconds(90), "render", pov.toString(), "--size", "32x24", "--out",
                out.toString(), "--ini", ini.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("INI line 1: Input_File_Name=other.pov is not allowed"), r.output());
        Path scenes = RenderFixtures.exampleScenes(work.resolve("scenes"));
        r = TesseraProcess.run(work, Duration.ofSeconds(90), "render", scenes.resolve("spheres.json").toString(), "--size",
                "32x24", "--out", out.toString(), "--povray", "+Q9");
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("the raytracer engine takes no options"), r.output());
        try (Stream<Path> left = Files.list(work)) {
            assertFalse(left.anyMatch(f -> f.getFileName().toString().equals("out") || f.getFileName().toString().equals("pwned")),
                    "a refused job renders nothing");
        }
        Files.writeString(ini, "Quality=4\n+A0.2 +AM2\n");
        r = TesseraProcess.run(work, Duration.ofSeconds(90), "render", pov.toString(), "--size", "32x24", "--out",
                out.toString(), "--ini", ini.toString(), "--povray", "+R2 Declare=Unused=1", "--workers", "2");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(Files.isRegularFile(work.resolve("out/shot_0001.png")), r.output());
    }

    @Test
    void framesRenderedWithOtherSettingsAreRefusedUnlessForced() throws Exception {
        Path scenes = RenderFixtures.exampleScenes(work.resolve("scenes"));
        String scene = scenes.resolve("spheres.json").toString();
        String out = work.resolve("out/s_####.png").toString();
        Result first = TesseraProcess.run(work, Duration.ofSeconds(90), "render", scene, "--frames", "1 2", "--size",
                "64x48", "--out", out);
        assertEquals(0, first.exitCode(), first.output());
        assertTrue(PngImage.header(work.resolve("out/s_0001.png")).text().get(PngImage.SETTINGS_KEY).contains("size=64x48"));
        Result other = TesseraProcess.run(work, Duration.ofSeconds(90), "render", scene, "--frames", "1 2", "--size",
                "32x24", "--out", out);
        assertEquals(2, other.exitCode(), other.output());
        assertTrue(other.output().contains("2 frame file(s) of this job exist but were rendered with other settings")
                && other.output().contains("size=64x48") && other.output().contains("--force"), other.output());
        assertEquals(64, PngImage.read(work.resolve("out/s_0002.png")).width(), "nothing was overwritten");
        Result forced = TesseraProcess.run(work, Duration.ofSeconds(90), "render", scene, "--frames", "1 2", "--size",
                "32x24", "--out", out, "--force");
        assertEquals(0, forced.exitCode(), forced.output());
        assertEquals(32, PngImage.read(work.resolve("out/s_0002.png")).width());
        Result same = TesseraProcess.run(work, Duration.ofSeconds(90), "render", scene, "--frames", "1 2", "--size",
                "32x24", "--out", out);
        assertEquals(0, same.exitCode(), same.output());
        assertTrue(same.output().contains("skipped 2 frame(s)"), same.output());
        // a longer frame range gives frame 2 another animation clock
        Result longer = TesseraProcess.run(work, Duration.ofSeconds(90), "render", scene, "--frames", "1 3", "--size",
                "32x24", "--out", out);
        assertEquals(2, longer.exitCode(), longer.output());
        assertTrue(longer.output().contains("1 frame file(s)") && longer.output().contains("clock=1.000000000"),
                longer.output());
    }

    /**
     * SIGTERM (as Ctrl-C) while POV-Ray renders: the povray process dies with the product, and its scratch
     * folder in the product's {@code java.io.tmpdir} (here the test's folder, see {@link TesseraProcess#tempDir()})
     * goes too, with the {@code .pov-state} file a killed povray leaves behind. With {@code --nodes 1} the tile
     * is rendered by a node server in the process, which also holds the unpacked scene there; the cancelled job
     * leaves that node rendering a tile nobody waits for while the process ends.
     */
    @ParameterizedTest
    @ValueSource(strings = {"--workers", "--nodes"})
    void sigtermDuringAPovrayRenderKillsPovrayAndLeavesNoTemporaryFiles(String where) throws Exception {
        Path scene = RenderFixtures.POVRAY_SCENES.resolve("advanced/biscuit.pov"); // about 20 s at this size
        try (TesseraProcess p = TesseraProcess.start(work, "povray-render", "render", scene.toString(), "--size",
                "1920x1080", "--aa", "3", where, "1", "--out", work.resolve("pov/b_####.png").toString())) {
            Path tmp = p.tempDir();
            Path state = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (state == null && System.nanoTime() < deadline && p.process().isAlive()) {
                try (Stream<Path> files = Files.walk(tmp)) {
                    state = files.filter(f -> f.getFileName().toString().endsWith(".pov-state")).findFirst().orElse(null);
                }
                Thread.sleep(50);
            }
            assertNotNull(state, "povray never started rendering in " + tmp + "\n" + p.output());
            assertTrue(state.getParent().getFileName().toString().startsWith("tessera-povray-"), state.toString());
            Path configuration = work.resolve("povray-render/configuration");
            if (where.equals("--nodes")) {
                // the node's scene cache is private to the product (its configuration area), short-named
                assertFalse(nodeCaches(configuration).isEmpty(), "no node scene cache in " + configuration);
            }
            List<ProcessHandle> povray = p.process().descendants()
                    .filter(h -> h.info().command().orElse("").endsWith("povray")).toList();
            assertEquals(1, povray.size(), "one povray process: " + p.process().descendants().map(h -> h.info().command()).toList());
            p.close();
            assertFalse(p.process().isAlive());
            try {
                povray.getFirst().onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                povray.getFirst().destroyForcibly(); // not to leave it running on this machine
                fail("povray " + povray.getFirst().pid() + " still ran 10 s after its product ended");
            }
            try (Stream<Path> left = Files.walk(tmp)) {
                List<Path> files = left.filter(f -> !f.equals(tmp)).toList();
                assertTrue(files.isEmpty(), "left in the product's temporary folder: " + files + "\n" + p.output());
            }
            assertFalse(Files.exists(work.resolve("pov/b_0001.png")), "no frame from a cancelled render");
            assertEquals(List.of(), nodeCaches(configuration), "the node's scene cache is removed when it stops");
        }
    }

    /** Unpacked scene caches of nodes (data/scenes/n<pid>-<k>) under a configuration area. */
    private static List<Path> nodeCaches(Path configuration) throws java.io.IOException {
        if (!Files.isDirectory(configuration)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(configuration)) {
            return files.filter(f -> f.getParent() != null && f.getParent().getFileName().toString().equals("scenes")
                    && f.getFileName().toString().matches("n[0-9]+-[0-9]+")).toList();
        }
    }

    /**
     * Every node of a {@code --cluster} render dies (kill -9) mid-job: the render says which node it lost
     * and why, writes no partial frame, and exits 3 (a service unavailable), not 1 (a failed scene).
     */
    @Test
    void losingEveryNodeSaysSoAndExits3() throws Exception {
        Path scenes = RenderFixtures.exampleScenes(work.resolve("scenes"));
        int a = TesseraProcess.freePort();
        int b = TesseraProcess.freePort();
        try (TesseraProcess nodeA = RenderFixtures.startNode(work, "lost-a", a);
                TesseraProcess nodeB = RenderFixtures.startNode(work, "lost-b", b);
                TesseraProcess render = TesseraProcess.start(work, "lost-render", "render",
                        scenes.resolve("spheres.json").toString(), "--frames", "1 200", "--size", "800x600", "--aa", "3",
                        "--cluster", "127.0.0.1:" + a + " 127.0.0.1:" + b, "--out",
                        work.resolve("lost/l_####.png").toString())) {
            render.awaitLine(l -> l.contains("tiles ") && !l.contains("tiles 0/"), Duration.ofSeconds(90));
            nodeA.kill();
            nodeB.kill();
            assertTrue(render.process().waitFor(120, TimeUnit.SECONDS), "render still runs with no node: " + render.output());
            String out = render.output();
            assertEquals(3, render.process().exitValue(), out);
            assertTrue(out.contains("tessera render: lost 127.0.0.1:" + a + " ("), out);
            assertTrue(out.contains("tessera render: lost 127.0.0.1:" + b + " ("), out);
            assertTrue(out.contains("workers failed"), out);
            // what goes to the nodes is said up front: the scene folder holds spheres.json (and no output folder)
            assertTrue(out.matches("(?s).*sending the scene to nodes: \\d+ files?, \\d+\\.\\d MB.*"), out);
            try (Stream<Path> frames = Files.list(work.resolve("lost"))) {
                // frames finished before the nodes died are whole; no partial or temporary file is left
                assertTrue(frames.allMatch(f -> f.getFileName().toString().matches("l_[0-9]{4}\\.png")), "only whole frames");
            } catch (java.nio.file.NoSuchFileException none) {
                // no frame was finished yet
            }
        }
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
