// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tessera.core.FrameRange;
import org.tessera.internal.render.core.PngImage;
import org.tessera.internal.render.raytracer.Raytracer;
import org.tessera.render.core.EngineOptionsException;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TilePlan;
import org.tessera.render.raytracer.RaytracerScenes;
import org.tessera.testing.TesseraProcess;

/**
 * The raytracer's three kernels (Embree, the double-precision C twin, Java): every tiling gives the same
 * image per kernel, on spheres and on the bunny and teapot meshes; the Embree kernel stays within its
 * bound of the Java kernel; a pinned kernel renders the whole frame; without Embree the next kernel runs
 * and says why.
 */
class RaytracerKernelsTest {
    @TempDir
    Path dir;

    /** Where the build had the Embree headers, the fragment has the Embree kernel and it must load. */
    static boolean embreeBuilt() {
        return Files.exists(Path.of("/usr/include/embree3/rtcore.h"));
    }

    /** The kernel; null for the Embree kernel of a build without the Embree headers (the test then has nothing to check). */
    static Raytracer kernel(String kind) {
        Optional<Raytracer> k = Raytracer.ofKind(kind);
        if (kind.equals("embree") && !embreeBuilt() && k.isEmpty()) {
            System.err.println("no Embree kernel to test (built without the Embree headers): " + Raytracer.embreeProblem());
            return null;
        }
        assertTrue(k.isPresent(), "the " + kind + " kernel must load from the fragment: "
                + (kind.equals("embree") ? Raytracer.embreeProblem() : Raytracer.nativeProblem()));
        assertEquals(kind, k.get().kernelName());
        return k.get();
    }

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
    @CsvSource({ "embree,spheres.json", "embree,teapot.json", "embree,bunny.json", "native,bunny.json", "java,bunny.json" })
    void everyTilingGivesTheSameImagePerKernel(String kind, String name) throws Exception {
        Raytracer rt = kernel(kind);
        if (rt == null) {
            return;
        }
        RenderScene scene = RenderScene.ofFile(RenderFixtures.exampleScenes(dir).resolve(name));
        RenderSettings s = RenderSettings.of(96, 72).withAntialias(2);
        short[] whole = rt.renderTile(scene, s.fullFrame(), s).rgb();
        assertArrayEquals(whole, assemble(rt, scene, s, TilePlan.grid(96, 72, 7, 5)), kind + ": 7x5 tiles");
        assertArrayEquals(whole, assemble(rt, scene, s, TilePlan.grid(96, 72, 32, 32)), kind + ": 32x32 tiles");
        assertArrayEquals(whole, assemble(rt, scene, s, TilePlan.bands(96, 72, 5)), kind + ": 5 bands");
        assertArrayEquals(whole, assemble(rt, scene, s, TilePlan.columns(96, 72, 3)), kind + ": 3 columns");
        assertArrayEquals(whole, assemble(rt.withAllCores(), scene, s, TilePlan.grid(96, 72, 32, 32)),
                kind + ": 32x32 tiles, each on all cores (as a node renders them)");
        long lit = 0;
        for (short v : whole) {
            lit += v & 0xFFFF;
        }
        assertTrue(lit > 0, "the image is not black");
    }

    /**
     * The Embree kernel's bound against the Java kernel: it shades in single precision and Embree's own
     * sphere and triangle tests decide edges, so a few samples on silhouettes and shadow edges flip (and the
     * far checker floor aliases differently); at most 2 % of the channels may differ by more than 1/255 and
     * the mean difference stays under 1/1024.
     */
    @ParameterizedTest
    @ValueSource(strings = { "spheres.json", "teapot.json", "bunny.json" })
    void embreeKernelStaysWithinItsBoundOfTheJavaKernel(String name) throws Exception {
        Raytracer embree = kernel("embree");
        if (embree == null) {
            return;
        }
        RenderScene scene = RenderScene.ofFile(RenderFixtures.exampleScenes(dir).resolve(name));
        RenderSettings s = RenderSettings.of(160, 120).withAntialias(2);
        short[] j = Raytracer.java().renderTile(scene, s.fullFrame(), s).rgb();
        short[] e = embree.renderTile(scene, s.fullFrame(), s).rgb();
        long over = 0;
        double sum = 0;
        for (int i = 0; i < j.length; i++) {
            int d = Math.abs((j[i] & 0xFFFF) - (e[i] & 0xFFFF));
            sum += d;
            if (d > 257) {
                over++;
            }
        }
        double mean = sum / j.length / 65535.0;
        assertTrue(over <= j.length / 50, name + ": " + over + " of " + j.length + " channels differ by more than 1/255");
        assertTrue(mean < 1.0 / 1024, name + ": mean difference " + mean);
    }

    @Test
    void theBunnyIsAMeshOfSubdividedTriangles() throws Exception {
        RenderScene scene = RenderScene.ofFile(RenderFixtures.exampleScenes(dir).resolve("bunny.json"));
        RenderSettings s = RenderSettings.of(32, 24);
        // 3,674 triangles of the npm package, subdivided twice (x16), and the chrome ball
        assertEquals(3674 * 16 + 1, Raytracer.java().primitives(scene, s));
        Path bad = Files.writeString(dir.resolve("bad.json"), Files.readString(scene.file()).replace("\"subdivide\": 2",
                "\"subdivide\": 9"));
        SceneException e = assertThrows(SceneException.class,
                () -> Raytracer.java().renderTile(RenderScene.ofFile(bad), s.fullFrame(), s));
        assertTrue(e.getMessage().contains("subdivide must be 0..4"), e.getMessage());
    }

    /** kernel=KIND pins the kernel of a job: the frame from 3 workers equals that kernel's untiled render. */
    @ParameterizedTest
    @ValueSource(strings = { "java", "native", "embree" })
    void aPinnedKernelRendersEveryTileOfTheFrame(String kind) throws Exception {
        Raytracer rt = kernel(kind);
        if (rt == null) {
            return;
        }
        RenderScene scene = RenderScene.ofFile(RenderFixtures.exampleScenes(dir.resolve("s")).resolve("teapot.json"));
        RenderRequest req = RenderRequest.of(scene, FrameRange.single(1), 100, 70, dir.resolve("out/f_#.png").toString())
                .withLocalWorkers(3).withBitDepth(16).withEngine(RaytracerScenes.ENGINE).withEngineOptions("kernel=" + kind, "");
        RenderResult r = RenderFixtures.renderer().start(req, null).await();
        assertEquals(JobState.FINISHED, r.state(), r.error());
        RenderSettings s = RenderSettings.of(100, 70);
        assertArrayEquals(rt.renderTile(scene, s.fullFrame(), s).rgb(), PngImage.read(r.written().get(0)).rgb(),
                "16-bit frame file == untiled render of the " + kind + " kernel");
    }

    @Test
    void theKernelOptionIsCheckedByName() throws Exception {
        RenderEngine engine = RenderFixtures.engine(RaytracerScenes.ENGINE);
        engine.checkOptions("kernel=java", "");
        engine.checkOptions("", "");
        EngineOptionsException e = assertThrows(EngineOptionsException.class, () -> engine.checkOptions("kernel=fast", ""));
        assertTrue(e.getMessage().contains("(got 'kernel=fast')") && e.getMessage().contains("kernel=embree|native|java"),
                e.getMessage());
    }

    /** The product says which kernel runs; without the Embree library the C twin runs and the notice says why. */
    @Test
    void theProductNamesItsKernelAndFallsBack() throws Exception {
        Path scenes = RenderFixtures.exampleScenes(dir.resolve("scenes"));
        String expected = embreeBuilt() ? "tessera: raytracer kernel: embree (Intel Embree 3." : "tessera: raytracer kernel: native";
        String out = render(scenes, List.of(), "a");
        assertTrue(out.contains(expected), out);
        out = render(scenes, List.of("-Dtessera.embree.library=" + dir.resolve("no-such-libtessera_embree.so")), "b");
        assertTrue(out.contains("tessera: raytracer kernel: native (C twin of the Java kernel, double precision); not embree: "
                + "cannot load libtessera_embree.so"), out);
        out = render(scenes, List.of("-Dtessera.kernel=java"), "c");
        assertTrue(out.contains("tessera: raytracer kernel: java (pure Java, double precision)"), out);
    }

    private String render(Path scenes, List<String> vmArgs, String name) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("-Xmx512m"));
        args.addAll(vmArgs);
        try (TesseraProcess p = TesseraProcess.start(TesseraProcess.productHome(), args, Map.of(), dir.resolve("work"), name,
                "render", scenes.resolve("spheres.json").toString(), "--size", "32x24", "--out",
                dir.resolve("out-" + name + "/f_#.png").toString())) {
            assertTrue(p.process().waitFor(Duration.ofSeconds(90).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS),
                    "tessera render did not finish: " + p.output());
            assertEquals(0, p.process().exitValue(), p.output());
            return p.output();
        }
    }
}
