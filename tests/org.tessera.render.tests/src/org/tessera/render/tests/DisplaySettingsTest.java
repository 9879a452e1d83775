// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.cluster.core.ClusterService;
import org.tessera.core.FrameRange;
import org.tessera.internal.render.core.PngImage;
import org.tessera.render.core.DisplayOptions;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.TestPattern;
import org.tessera.render.core.TileOverlay;
import org.tessera.testing.OsgiServices;
import org.tessera.testing.TesseraProcess;
import org.tessera.testing.TesseraProcess.Result;

/**
 * The VRED display settings take effect (issue 13, section 4), checked on the pixels of the frames:
 * stereo with eye separation and zero parallax (off-axis frusta), the test image instead of the scene,
 * tile borders and node names drawn into the frames; through {@code tessera render} as a process and
 * through the cluster service's setters with real node processes.
 */
class DisplaySettingsTest {
    private static final Duration RUN = Duration.ofSeconds(120);
    private static final int W = 400, H = 100;
    /** Horizontal field of view of the test scene, degrees. */
    private static final double FOV = 40;
    /** Depth of the sphere, metres (scene units). */
    private static final double DEPTH = 5;

    @TempDir
    Path work;

    /** A small flat-white sphere straight ahead at {@link #DEPTH} m, black background, no lights. */
    private Path scene() throws Exception {
        Path dir = Files.createDirectories(work.resolve("scene"));
        Path file = dir.resolve("dot.json");
        Files.writeString(file, """
                { "camera": { "position": [0, 0, 0], "lookAt": [0, 0, 5], "up": [0, 1, 0], "fov": %s,
                              "eyeSeparation": 0.065 },
                  "background": [0, 0, 0], "ambient": 1, "maxDepth": 1, "lights": [],
                  "materials": { "white": { "color": [1, 1, 1], "diffuse": 0 } },
                  "objects": [ { "type": "sphere", "center": [0, 0, %s], "radius": 0.3, "material": "white" } ] }
                """.formatted(FOV, DEPTH));
        return file;
    }

    /** Expected x(right) − x(left) in pixels of a point straight ahead at depth z: e·(1/z0 − 1/z)·W/(2·tan(fov/2)). */
    private static double expectedDisparity(double eyeMm, double zeroParallaxMm, double z) {
        double inverseZ0 = zeroParallaxMm > 0 ? 1000.0 / zeroParallaxMm : 0;
        return eyeMm / 1000.0 * (inverseZ0 - 1 / z) * W / (2 * Math.tan(Math.toRadians(FOV / 2)));
    }

    /** Centroid x of the pixels brighter than half the brightest (the sphere). */
    private static double centroidX(Path png) throws Exception {
        PngImage img = PngImage.read(png);
        int max = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                max = Math.max(max, img.sample(x, y, 0));
            }
        }
        assertTrue(max > 0, "the sphere is in the frame: " + png);
        double sum = 0;
        long n = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                if (img.sample(x, y, 0) > max / 2) {
                    sum += x + 0.5;
                    n++;
                }
            }
        }
        return sum / n;
    }

    private double disparity(String name, String... eyeOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of("render", scene().toString(), "--size", W + "x" + H, "--workers", "2",
                "--tile-size", "32", "--stereo", "--out", work.resolve(name + "/f_####.png").toString()));
        args.addAll(List.of(eyeOptions));
        Result r = TesseraProcess.run(work, RUN, args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.output());
        Path left = work.resolve(name + "/f_0001_left.png");
        Path right = work.resolve(name + "/f_0001_right.png");
        assertTrue(r.output().contains(left.toString()) && r.output().contains(right.toString()), r.output());
        return centroidX(right) - centroidX(left);
    }

    @Test
    void stereoFramesShowTheDisparityOfEyeSeparationAndZeroParallax() throws Exception {
        // the zero-parallax plane through the sphere: it is at the same place in both eyes
        double atPlane = disparity("at", "--eye-separation", "300", "--zero-parallax", "5000");
        assertEquals(0, atPlane, 0.5, "object on the zero-parallax plane");
        // the plane nearer than the sphere: the sphere is behind the screen (uncrossed, right eye further right)
        double behind = disparity("behind", "--eye-separation", "300", "--zero-parallax", "2500");
        assertEquals(expectedDisparity(300, 2500, DEPTH), behind, 1.0, "object behind the zero-parallax plane");
        assertTrue(behind > 30, "≈ 33 px: " + behind);
        // the plane further away than the sphere: in front of the screen (crossed)
        double front = disparity("front", "--eye-separation", "300", "--zero-parallax", "10000");
        assertEquals(expectedDisparity(300, 10000, DEPTH), front, 1.0, "object in front of the zero-parallax plane");
        // parallel cameras: eye separation alone
        double parallel = disparity("parallel", "--eye-separation", "300");
        assertEquals(expectedDisparity(300, 0, DEPTH), parallel, 1.0, "parallel cameras");
        // twice the eye separation, twice the disparity
        double wider = disparity("wider", "--eye-separation", "600", "--zero-parallax", "2500");
        assertEquals(2 * behind, wider, 1.5, "disparity grows with the eye separation");
        System.out.printf(java.util.Locale.ROOT, "stereo disparity (px, right - left): at plane %.2f, behind %.2f (expected %.2f),"
                + " front %.2f (expected %.2f), parallel %.2f (expected %.2f), wider %.2f%n", atPlane, behind,
                expectedDisparity(300, 2500, DEPTH), front, expectedDisparity(300, 10000, DEPTH), parallel,
                expectedDisparity(300, 0, DEPTH), wider);
    }

    @Test
    void stereoOptionsAreCheckedAndPovrayStereoIsRefused() throws Exception {
        Path pov = Files.writeString(Files.createDirectories(work.resolve("pov")).resolve("ball.pov"),
                "camera { location <0, 0, -5> look_at <0, 0, 0> }\nsphere { <0, 0, 0>, 1 pigment { rgb 1 } }\n");
        Result r = TesseraProcess.run(work, RUN, "render", pov.toString(), "--engine", "povray", "--stereo", "--size",
                "32x32", "--out", work.resolve("pov/b_####.png").toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("render engine 'povray' cannot render stereo"), r.output());
        assertTrue(!Files.exists(work.resolve("pov/b_0001_left.png")), "nothing written");
        Result noStereo = TesseraProcess.run(work, RUN, "render", scene().toString(), "--eye-separation", "65");
        assertEquals(2, noStereo.exitCode(), noStereo.output());
        assertTrue(noStereo.output().contains("--eye-separation needs --stereo"), noStereo.output());
        Result bad = TesseraProcess.run(work, RUN, "render", scene().toString(), "--stereo", "--zero-parallax", "-3");
        assertEquals(2, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("--zero-parallax"), bad.output());
    }

    /** Every pixel is the test pattern's colour. */
    private static void assertTestPattern(Path png) throws Exception {
        PngImage img = PngImage.read(png);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int[] want = TestPattern.color(x, y, img.width());
                for (int c = 0; c < 3; c++) {
                    assertEquals(want[c], PngImage.to8(img.sample(x, y, c)), "pixel " + x + "," + y + " channel " + c);
                }
            }
        }
    }

    @Test
    void testImageReplacesTheScene() throws Exception {
        Result r = TesseraProcess.run(work, RUN, "render", scene().toString(), "--size", "256x64", "--workers", "2",
                "--tile-size", "48", "--test-image", "--out", work.resolve("test/t_####.png").toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTestPattern(work.resolve("test/t_0001.png"));
    }

    /** Reads {@code length} characters of the overlay font at (x, y); '#' where no glyph matches. */
    private static String readLabel(PngImage img, int x, int y, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/ ";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            char found = '#';
            for (char c : alphabet.toCharArray()) {
                boolean all = true;
                for (int gy = 0; gy < 7 && all; gy++) {
                    for (int gx = 0; gx < 5 && all; gx++) {
                        int px = x + i * TileOverlay.CELL_WIDTH + gx;
                        boolean yellow = PngImage.to8(img.sample(px, y + gy, 0)) == 255
                                && PngImage.to8(img.sample(px, y + gy, 1)) == 255 && PngImage.to8(img.sample(px, y + gy, 2)) == 0;
                        all = yellow == TileOverlay.glyphPixel(c, gx, gy);
                    }
                }
                if (all) {
                    found = c;
                    break;
                }
            }
            text.append(found);
        }
        return text.toString();
    }

    @Test
    void showTilesDrawsTileBordersAndNodeNamesIntoTheFrames() throws Exception {
        Result r = TesseraProcess.run(work, RUN, "render", scene().toString(), "--size", "128x128", "--workers", "2",
                "--tile-size", "64", "--show-tiles", "--out", work.resolve("tiles/t_####.png").toString());
        assertEquals(0, r.exitCode(), r.output());
        PngImage img = PngImage.read(work.resolve("tiles/t_0001.png"));
        Set<String> names = new HashSet<>();
        for (int ty = 0; ty < 2; ty++) {
            for (int tx = 0; tx < 2; tx++) {
                int x0 = tx * 64, y0 = ty * 64;
                for (int i = 0; i < 64; i++) {
                    for (int[] p : new int[][] {{x0 + i, y0}, {x0 + i, y0 + 63}, {x0, y0 + i}, {x0 + 63, y0 + i}}) {
                        for (int c = 0; c < 3; c++) {
                            assertEquals(TileOverlay.BORDER[c], PngImage.to8(img.sample(p[0], p[1], c)),
                                    "border pixel " + p[0] + "," + p[1]);
                        }
                    }
                }
                String label = readLabel(img, x0 + 2, y0 + 2, "local-1".length());
                assertTrue(label.matches("LOCAL-[12]"), "tile " + tx + "," + ty + " is labelled with its worker: " + label);
                names.add(label);
            }
        }
        assertTrue(!names.isEmpty());
        // without --show-tiles the same render has no border: the scene's black background at the corner
        Result plain = TesseraProcess.run(work, RUN, "render", scene().toString(), "--size", "128x128", "--workers", "2",
                "--tile-size", "64", "--out", work.resolve("plain/t_####.png").toString());
        assertEquals(0, plain.exitCode(), plain.output());
        assertEquals(0, PngImage.read(work.resolve("plain/t_0001.png")).sample(0, 0, 0));
    }

    /**
     * The cluster service's setters against real node processes: setShowTestImage makes the nodes render
     * the test image; setEyeSeparation and setZeroParallax are the stereo camera of a cluster render.
     */
    @Test
    void clusterSettersTakeEffectOnRealNodes() throws Exception {
        int[] ports = {TesseraProcess.freePort(), TesseraProcess.freePort()};
        TesseraProcess a = RenderFixtures.startNode(work, "display-node-a", ports[0]);
        TesseraProcess b = RenderFixtures.startNode(work, "display-node-b", ports[1]);
        ClusterService cluster = OsgiServices.get(ClusterService.class);
        try (a; b) {
            cluster.setIgnoreNotEnoughMemory(true);
            cluster.setConfig("127.0.0.1:" + ports[0] + " 127.0.0.1:" + ports[1]);
            assertTrue(cluster.start(), cluster.getProblems().toString());
            RenderScene scene = RenderScene.ofFile(scene());

            cluster.setShowTestImage(true);
            RenderResult test = render(RenderRequest.of(scene, FrameRange.of(1, 1), 256, 64,
                    work.resolve("cluster-test/t_####.png").toString()).withTileSize(48));
            assertTestPattern(work.resolve("cluster-test/t_0001.png"));
            assertTrue(test.tilesRendered() > 1, "tiles from the nodes");
            cluster.setShowTestImage(false);
            render(RenderRequest.of(scene, FrameRange.of(1, 1), 256, 64, work.resolve("cluster-scene/t_####.png").toString())
                    .withTileSize(48));
            assertEquals(0, PngImage.read(work.resolve("cluster-scene/t_0001.png")).sample(1, 1, 0),
                    "test image off: the scene (black background) again");

            cluster.setEyeSeparation(300);
            cluster.setZeroParallax(2500);
            RenderRequest stereo = RenderRequest.of(scene, FrameRange.of(1, 1), W, H,
                    work.resolve("cluster-stereo/s_####.png").toString()).withTileSize(32)
                    .withDisplay(DisplayOptions.NONE.withStereo(true));
            for (RenderRequest eye : stereo.eyes()) {
                render(eye);
            }
            double d = centroidX(work.resolve("cluster-stereo/s_0001_right.png"))
                    - centroidX(work.resolve("cluster-stereo/s_0001_left.png"));
            assertEquals(expectedDisparity(300, 2500, DEPTH), d, 1.0, "the cluster's eye separation and zero parallax");
        } finally {
            cluster.stop();
            cluster.setShowTestImage(false);
            cluster.setEyeSeparation(65);
            cluster.setZeroParallax(1000);
            cluster.setDefaultConfig();
        }
    }

    private static RenderResult render(RenderRequest request) throws Exception {
        RenderResult r = RenderFixtures.renderer().start(request, null).await();
        assertEquals(JobState.FINISHED, r.state(), String.valueOf(r.error()));
        return r;
    }
}
