// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.core.FrameRange;
import org.tessera.internal.render.core.PngImage;
import org.tessera.internal.render.core.RemoteTileWorker;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.TileWorker;
import org.tessera.testing.TesseraProcess;

/**
 * Stock scenes of POV-Ray's own examples (Debian package povray-examples), each tiled over 3 real node
 * processes ({@code tessera node serve}, POV-Ray under the scene sandbox) and compared with what a plain
 * {@code povray} command line writes with the same options ({@code +FN16}, 16-bit PNG) — never with the
 * engine's own full-frame call. The scenes cover isosurfaces, photons, media, textures with normals, CSG
 * with an INI file, and antialiasing with {@code --povray} options; these are identical sample for sample.
 * Jittered area lights and radiosity draw random numbers in render order, so a band rendered on its own
 * differs from the same rows of a full render: those two are kept with bounds on the pixels that differ and
 * on the PSNR. Two scenes go through the {@code tessera render --cluster} command line as a user runs it.
 * Each case prints what it showed.
 */
class PovrayStockScenesTest {
    private static final int W = 160;
    private static final int H = 120;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path work;
    private static final List<TesseraProcess> nodes = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();

    /**
     * One comparison.
     *
     * @param scene     path under the stock scenes folder
     * @param options   {@code --povray} options, also on the reference command line ("" for none)
     * @param ini       INI text given with {@code --ini}, also to the reference ("" for none)
     * @param viaCli    run {@code tessera render --cluster} as a process instead of the renderer service
     * @param maxPixels pixels that may differ (0: identical)
     * @param minPsnr   lowest PSNR in dB allowed when pixels may differ
     * @param why       what the scene covers, and why it may differ
     */
    record Case(String scene, String options, String ini, boolean viaCli, int maxPixels, double minPsnr, String why) {
        @Override
        public String toString() {
            return scene + (options.isEmpty() ? "" : " " + options) + (ini.isEmpty() ? "" : " +INI");
        }
    }

    static Stream<Case> scenes() {
        return Stream.of(
                new Case("advanced/biscuit.pov", "", "", false, 0, 0, "isosurface (depends on the block size)"),
                new Case("lights/phot_met_glass.pov", "+WT1", "", false, 0, 0,
                        "photons; +WT1: a multi-threaded photon pass is not deterministic"),
                new Case("interior/media/media1.pov", "", "", false, 0, 0, "media"),
                new Case("textures/normals/normal.pov", "", "", false, 0, 0, "textures and normals"),
                new Case("lights/arealit1.pov", "", "", false, 6000, 33, "jittered area lights: random in render order"),
                new Case("radiosity/radiosity2.pov", "", "", false, W * H, 30,
                        "radiosity: samples gathered in render order"),
                new Case("objects/csg/intee1.pov", "", """
                        ; quality and antialiasing from an INI file
                        Quality=9
                        Antialias=On
                        Antialias_Threshold=0.2
                        Sampling_Method=2
                        Antialias_Depth=3
                        """, true, 0, 0, "CSG, options from an INI file, via tessera render --ini"),
                new Case("objects/blob.pov", "+Q9 +A0.1 +AM2 +R3", "", true, 0, 0,
                        "blobs, adaptive antialiasing, via tessera render --povray"));
    }

    @BeforeAll
    static void startNodes() {
        for (int i = 0; i < 3; i++) {
            int port = TesseraProcess.freePort();
            ports.add(port);
            nodes.add(TesseraProcess.start(work, "stock-node" + i, "node", "serve", "--port", String.valueOf(port)));
        }
        for (TesseraProcess p : nodes) {
            p.awaitLine(l -> l.startsWith("Node listening on http://127.0.0.1:"), WAIT);
        }
    }

    @AfterAll
    static void stopNodes() {
        nodes.forEach(TesseraProcess::close);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenes")
    void tilesFromThreeNodesEqualAPlainPovrayRender(Case c) throws Exception {
        Path stock = RenderFixtures.POVRAY_SCENES.resolve(c.scene());
        assertTrue(Files.isRegularFile(stock), "povray-examples is not installed: no " + stock);
        String name = stock.getFileName().toString().replace(".pov", "");
        Path dir = Files.createDirectories(work.resolve(name));
        Path pov = dir.resolve(stock.getFileName());
        Files.copy(stock, pov);
        Path ini = null;
        if (!c.ini().isEmpty()) {
            ini = work.resolve(name + ".ini");
            Files.writeString(ini, c.ini());
        }
        Path out = work.resolve(name + "-out").resolve(name + "_####.png");
        Path frame = work.resolve(name + "-out").resolve(name + "_0001.png");
        List<RemoteTileWorker> workers = new ArrayList<>();
        if (c.viaCli()) {
            List<String> args = new ArrayList<>(List.of("render", pov.toString(), "--size", W + "x" + H, "--bits", "16",
                    "--out", out.toString(), "--cluster", ports.stream().map(p -> "127.0.0.1:" + p)
                            .collect(java.util.stream.Collectors.joining(" "))));
            if (!c.options().isEmpty()) {
                args.addAll(List.of("--povray", c.options()));
            }
            if (ini != null) {
                args.addAll(List.of("--ini", ini.toString()));
            }
            TesseraProcess.Result r = TesseraProcess.run(work, Duration.ofMinutes(3), args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.output());
            assertTrue(r.output().contains("tiles 3/3 frames 1/1"), "3 bands: " + r.output());
        } else {
            for (int port : ports) {
                // one tile at a time per node: the 3 bands go to 3 nodes
                workers.add(new RemoteTileWorker(ClusterNode.of("127.0.0.1", port), 1, null, "stock-test"));
            }
            RenderRequest request = RenderRequest.of(RenderScene.ofFile(pov), FrameRange.single(1), W, H, out.toString())
                    .withEngine("povray").withBitDepth(16).withWorkers(List.<TileWorker>copyOf(workers))
                    .withEngineOptions(c.options(), ini == null ? "" : Files.readString(ini));
            RenderResult r = RenderFixtures.renderer().start(request, null).await(Duration.ofMinutes(3));
            assertEquals(JobState.FINISHED, r.state(), r.error());
            assertEquals(3, r.tilesRendered());
            for (RemoteTileWorker w : workers) {
                assertEquals(1, w.tilesRendered(), "each node renders one band: " + w.name());
            }
        }
        Path reference = plainPovray(pov, c, ini, work.resolve(name + "-reference.png"));
        short[] tiled = PngImage.read(frame).rgb();
        short[] plain = PngImage.read(reference).rgb();
        assertEquals(plain.length, tiled.length, "image size");
        int differing = 0;
        for (int i = 0; i < plain.length; i += 3) {
            if (plain[i] != tiled[i] || plain[i + 1] != tiled[i + 1] || plain[i + 2] != tiled[i + 2]) {
                differing++;
            }
        }
        double psnr = RenderFixtures.psnr(plain, tiled);
        int max = RenderFixtures.maxDifference(plain, tiled);
        System.out.printf(Locale.ROOT, "STOCK %-28s %-22s 3 nodes%s vs plain povray: %s (%d/%d pixels differ, PSNR %s, "
                + "max %d/65535) - %s%n", c.scene(), c.options().isEmpty() ? (ini == null ? "-" : "INI") : c.options(),
                c.viaCli() ? " via tessera render" : "", differing == 0 ? "IDENTICAL" : "differs", differing, W * H,
                Double.isInfinite(psnr) ? "inf" : String.format(Locale.ROOT, "%.1f dB", psnr), max, c.why());
        if (c.maxPixels() == 0) {
            assertArrayEquals(plain, tiled, c.scene() + ": tiles from 3 nodes differ from a plain povray render");
        } else {
            assertTrue(differing <= c.maxPixels(), c.scene() + ": " + differing + " pixels differ");
            assertTrue(psnr >= c.minPsnr(), c.scene() + ": PSNR " + psnr);
        }
    }

    /** {@code povray [ini] [options] +I<scene> +O<png> +FN16 +W +H -D -P}, in the scene's folder. */
    private static Path plainPovray(Path pov, Case c, Path ini, Path png) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("povray"));
        if (ini != null) {
            cmd.add(ini.toString());
        }
        if (!c.options().isEmpty()) {
            cmd.addAll(List.of(c.options().split("\\s+")));
        }
        cmd.addAll(List.of("+I" + pov, "+O" + png, "+FN16", "+W" + W, "+H" + H, "-D", "-P"));
        Path home = Files.createDirectories(work.resolve("povray-home"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(pov.getParent().toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "plain povray did not finish");
        assertTrue(Files.isRegularFile(png), String.join(" ", cmd) + " wrote no image:\n" + log);
        return png;
    }
}
