// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;
import org.tessera.cluster.core.ClusterService;
import org.tessera.core.FrameRange;
import org.tessera.internal.render.ui.LiveImage;
import org.tessera.internal.render.ui.RenderPart;
import org.tessera.render.core.EngineCapability;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderProgress;
import org.tessera.render.core.RenderProgressListener;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TilePlan;
import org.tessera.render.core.TileRenderer;
import org.tessera.testing.OsgiServices;
import org.tessera.testing.TesseraProcess;

/**
 * The Render view over the real tile renderer and the built-in raytracer: tiles arrive in the live
 * image with their pixels, in-process and from node servers of a running cluster; the tile size
 * applies where the engine cuts a grid.
 */
class RenderViewTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path tmp;

    private Path scene() throws IOException {
        Path repo = Path.of(System.getProperty("tessera.repo.root"));
        Path scenes = repo.resolve("bundles/org.tessera.render.raytracer/scenes");
        Path scene = tmp.resolve("scene");
        Files.createDirectories(scene);
        try (var files = Files.list(scenes)) {
            for (Path f : files.toList()) {
                Files.copy(f, scene.resolve(f.getFileName()));
            }
        }
        return scene;
    }

    private static RenderPart open(Shell shell) {
        RenderPart part = UiTestSupport.makePart(RenderPart.class, shell);
        shell.open();
        UiTestSupport.join(part.ready());
        return part;
    }

    @Test
    void tilesArriveInTheLiveImageAndTheFrameIsSaved() throws Exception {
        Path scene = scene();
        Shell shell = UiTestSupport.shell("Render", 1000, 640);
        try {
            RenderPart part = open(shell);
            assertTrue(part.engines().contains("raytracer"), part.engines().toString());
            part.setRequest(scene.resolve("spheres.json"), "1", 480, 270, "raytracer", 3);
            part.setTileSize(64);
            Job job = part.start();
            UiTestSupport.waitUntil("the first tiles", WAIT, () -> part.image() != null && part.image().tiles().size() >= 2);
            UiTestSupport.join(job);
            assertEquals(IStatus.OK, job.getResult().getSeverity(), job.getResult().getMessage());
            LiveImage image = part.image();
            int covered = image.tiles().stream().mapToInt(t -> t.tile().pixels()).sum();
            assertEquals(480 * 270, covered, "every pixel arrived in exactly one tile");
            Set<String> workers = image.tiles().stream().map(LiveImage.ArrivedTile::worker).collect(Collectors.toSet());
            assertTrue(workers.stream().allMatch(w -> w.startsWith("local-")), workers.toString());
            assertNotEquals(image.pixel(0, 0), image.pixel(240, 135), "a rendered image, not a flat fill");
            assertTrue(part.status().startsWith("FINISHED: 1 frame(s) written"), part.status());
            Path frame = scene.resolve("render/spheres.0001.png");
            assertTrue(Files.size(frame) > 1000, "the renderer wrote the frame");
            ImageData written = new ImageData(frame.toString());
            assertEquals(rgb(written, 240, 135), image.pixel(240, 135), "the live image shows the pixels the renderer wrote");
            UiTestSupport.screenshot(shell, "render-view");

            Path saved = tmp.resolve("saved.png");
            UiTestSupport.join(part.saveImage(saved));
            ImageData back = new ImageData(saved.toString());
            assertEquals(480, back.width);
            assertEquals(image.pixel(240, 135), rgb(back, 240, 135), "the saved PNG is the image shown");
        } finally {
            shell.dispose();
        }
    }

    /** The POV-Ray options and INI fields reach the render request (the raytracer refuses options by name). */
    @Test
    void thePovrayOptionFieldsGoWithTheRequest() throws Exception {
        Path scene = scene();
        Shell shell = UiTestSupport.shell("Render", 1000, 640);
        try {
            RenderPart part = open(shell);
            part.setRequest(scene.resolve("spheres.json"), "1", 64, 48, "raytracer", 1);
            part.setPovrayOptions("+Q9 +A0.1", null);
            Job job = part.start();
            UiTestSupport.join(job);
            assertEquals(IStatus.WARNING, job.getResult().getSeverity());
            assertTrue(part.status().contains("takes no options of its own (got '+Q9 +A0.1')"), part.status());
            part.setPovrayOptions("", tmp.resolve("missing.ini").toString());
            assertEquals(null, part.start(), "an INI file that cannot be read starts nothing");
            assertTrue(part.status().startsWith("INI file " + tmp.resolve("missing.ini")), part.status());
            Path ini = Files.writeString(tmp.resolve("shot.ini"), "Quality=9\n");
            part.setPovrayOptions("", ini.toString());
            job = part.start();
            UiTestSupport.join(job);
            assertTrue(part.status().contains("takes no options of its own (got 'an INI file')"), part.status());
            assertFalse(Files.exists(scene.resolve("render/spheres.0001.png")), "a refused job writes no frame");
        } finally {
            shell.dispose();
        }
    }

    @Test
    void theTileSizeCutsTheRaytracersGrid() throws Exception {
        Path scene = scene();
        Shell shell = UiTestSupport.shell("Render", 1000, 640);
        try {
            RenderPart part = open(shell);
            part.setRequest(scene.resolve("spheres.json"), "1", 200, 100, "raytracer", 2);
            part.setTileSize(32);
            Job job = part.start();
            UiTestSupport.join(job);
            assertEquals(IStatus.OK, job.getResult().getSeverity(), job.getResult().getMessage());
            List<Tile> tiles = part.image().tiles().stream().map(LiveImage.ArrivedTile::tile).toList();
            assertEquals(TilePlan.grid(200, 100, 32, 32).tiles().size(), tiles.size(), "7 x 4 tiles of 32 pixels");
            assertTrue(tiles.stream().allMatch(t -> t.width() <= 32 && t.height() <= 32), tiles.toString());
            assertTrue(tiles.contains(new Tile(32, 32, 32, 32)), tiles.toString());
        } finally {
            shell.dispose();
        }
    }

    /** An engine with a plan of its own (as POV-Ray's bands) and no TILE_GRID keeps its plan. */
    @Test
    void anEngineWithItsOwnPlanIgnoresTheTileSize() throws Exception {
        Path scene = Files.writeString(tmp.resolve("flat.bands"), "flat");
        RenderEngine bands = new RenderEngine() {
            @Override
            public String name() {
                return "test-bands";
            }

            @Override
            public Set<EngineCapability> capabilities() {
                return EnumSet.noneOf(EngineCapability.class);
            }

            @Override
            public boolean accepts(RenderScene s) {
                return s.extension().equals("bands");
            }

            @Override
            public TilePlan planTiles(int width, int height, int workers) {
                return TilePlan.bands(width, height, 3);
            }

            @Override
            public TilePixels renderTile(RenderScene s, int frame, Tile tile, RenderSettings settings) {
                return new TilePixels(tile, new short[tile.pixels() * 3]);
            }
        };
        ServiceRegistration<RenderEngine> reg = OsgiServices.context().registerService(RenderEngine.class, bands, null);
        try {
            TileRenderer renderer = OsgiServices.get(TileRenderer.class);
            List<Tile> seen = new CopyOnWriteArrayList<>();
            RenderRequest request = RenderRequest.of(RenderScene.ofFile(scene), FrameRange.parse("1"), 90, 60, "out.####.png")
                    .withEngine("test-bands").withLocalWorkers(2).withTileSize(16);
            RenderResult r = renderer.start(request, new RenderProgressListener() {
                @Override
                public void progress(RenderProgress p) {
                }

                @Override
                public void tileFinished(int frame, TilePixels pixels, String node) {
                    seen.add(pixels.tile());
                }
            }).await(WAIT);
            assertNotNull(r);
            assertEquals(null, r.error());
            assertEquals(Set.copyOf(TilePlan.bands(90, 60, 3).tiles()), Set.copyOf(seen), "three bands, not 16-pixel tiles");
        } finally {
            reg.unregister();
        }
    }

    @Test
    void withAClusterRunningTilesComeFromTheNodes() throws Exception {
        Path scene = scene();
        Path work = Files.createTempDirectory(tmp, "nodes");
        List<TesseraProcess> nodes = new ArrayList<>();
        ClusterService cluster = OsgiServices.get(ClusterService.class);
        Shell shell = UiTestSupport.shell("Render", 1000, 640);
        try {
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int port = TesseraProcess.freePort();
                nodes.add(TesseraProcess.start(work, "render-node" + i, "node", "serve", "--port", String.valueOf(port)));
                addresses.add("127.0.0.1:" + port);
            }
            for (TesseraProcess p : nodes) {
                p.awaitLine(l -> l.startsWith("Node listening on http://127.0.0.1:"), WAIT);
            }
            cluster.setIgnoreNotEnoughMemory(true);
            cluster.setConfig(String.join(" ", addresses));
            assertTrue(cluster.start(), "cluster started: " + cluster.getProblems());

            RenderPart part = open(shell);
            part.setRequest(scene.resolve("spheres.json"), "1", 480, 270, "raytracer", 1);
            part.setTileSize(64);
            Job job = part.start();
            assertTrue(part.status().contains("on 2 cluster node(s)"), part.status());
            UiTestSupport.join(job);
            assertEquals(IStatus.OK, job.getResult().getSeverity(), job.getResult().getMessage());
            LiveImage image = part.image();
            assertEquals(480 * 270, image.tiles().stream().mapToInt(t -> t.tile().pixels()).sum());
            Set<String> workers = image.tiles().stream().map(LiveImage.ArrivedTile::worker).collect(Collectors.toSet());
            assertTrue(Set.copyOf(addresses).containsAll(workers) && !workers.isEmpty(),
                    "tiles were rendered by the node servers " + addresses + ": " + workers);
            ImageData written = new ImageData(scene.resolve("render/spheres.0001.png").toString());
            assertEquals(rgb(written, 240, 135), image.pixel(240, 135), "the node's pixels are in the live image");
            assertNotEquals(image.pixel(0, 0), image.pixel(240, 135));
            UiTestSupport.screenshot(shell, "render-view-cluster");
        } finally {
            shell.dispose();
            cluster.stop();
            cluster.setDefaultConfig();
            cluster.setIgnoreNotEnoughMemory(false);
            nodes.forEach(TesseraProcess::close);
        }
    }

    /**
     * The Stereo box renders a left and a right frame with the cluster's eye separation and zero parallax
     * (setEyeSeparation, setZeroParallax): a sphere 5 m ahead with the zero-parallax plane at 2.5 m lies
     * behind the screen, about 33 pixels further right in the right eye.
     */
    @Test
    void theStereoBoxRendersBothEyesWithTheClustersDisplaySettings() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dot"));
        Path dot = Files.writeString(dir.resolve("dot.json"), DOT_SCENE);
        ClusterService cluster = OsgiServices.get(ClusterService.class);
        Shell shell = UiTestSupport.shell("Render", 1000, 640);
        try {
            cluster.setEyeSeparation(300);
            cluster.setZeroParallax(2500);
            RenderPart part = open(shell);
            part.setRequest(dot, "1", 400, 100, "raytracer", 2);
            part.setTileSize(32);
            part.setStereo(true);
            Job job = part.start();
            UiTestSupport.join(job);
            assertEquals(IStatus.OK, job.getResult().getSeverity(), job.getResult().getMessage());
            Path left = dir.resolve("render/dot.0001_left.png");
            Path right = dir.resolve("render/dot.0001_right.png");
            assertTrue(Files.exists(left) && Files.exists(right), "both eyes written");
            double disparity = centroidX(new ImageData(right.toString())) - centroidX(new ImageData(left.toString()));
            double expected = 0.3 * (1 / 2.5 - 1 / 5.0) * 400 / (2 * Math.tan(Math.toRadians(20)));
            assertEquals(expected, disparity, 1.0, "right minus left, pixels");
        } finally {
            shell.dispose();
            cluster.setEyeSeparation(65);
            cluster.setZeroParallax(1000);
        }
    }

    /**
     * The cluster's setShowTiles is what the live view shows: with it on, tile borders (and node names)
     * in the overlay colour are drawn over the image; with it off, none.
     */
    @Test
    void theClustersShowTilesDrawsTileBordersInTheLiveView() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tiles"));
        Path dot = Files.writeString(dir.resolve("dot.json"), DOT_SCENE);
        ClusterService cluster = OsgiServices.get(ClusterService.class);
        Shell shell = UiTestSupport.shell("Render", 1000, 640);
        try {
            cluster.setShowTiles(true);
            RenderPart part = open(shell);
            assertTrue(part.showsTiles(), "the box follows the cluster");
            part.setRequest(dot, "1", 480, 270, "raytracer", 2);
            part.setTileSize(64);
            UiTestSupport.join(part.start());
            int with = overlayPixels(shell);
            cluster.setShowTiles(false);
            Files.delete(dir.resolve("render/dot.0001.png")); // render it again, not skip it
            UiTestSupport.join(part.start());
            assertTrue(!part.showsTiles());
            assertEquals(480 * 270, part.image().tiles().stream().mapToInt(t -> t.tile().pixels()).sum(), "rendered again");
            int without = overlayPixels(shell);
            assertTrue(with > 500, "tile borders drawn: " + with + " pixels");
            assertTrue(without < 5, "no tile borders: " + without + " pixels");
        } finally {
            shell.dispose();
            cluster.setShowTiles(false);
        }
    }

    /** A white sphere 5 m ahead on black: no colour of the tile overlay anywhere. */
    private static final String DOT_SCENE = """
            { "camera": { "position": [0, 0, 0], "lookAt": [0, 0, 5], "up": [0, 1, 0], "fov": 40 },
              "background": [0, 0, 0], "ambient": 1, "maxDepth": 1, "lights": [],
              "materials": { "white": { "color": [1, 1, 1], "diffuse": 0 } },
              "objects": [ { "type": "sphere", "center": [0, 0, 5], "radius": 0.3, "material": "white" } ] }
            """;

    /** Pixels of the shell on screen in the live view's tile colour (0xffd040). */
    private static int overlayPixels(Shell shell) {
        UiTestSupport.flush();
        var area = shell.getClientArea();
        var at = shell.toDisplay(area.x, area.y);
        org.eclipse.swt.graphics.Image image = new org.eclipse.swt.graphics.Image(shell.getDisplay(), area.width, area.height);
        org.eclipse.swt.graphics.GC gc = new org.eclipse.swt.graphics.GC(shell.getDisplay());
        try {
            gc.copyArea(image, at.x, at.y);
            ImageData d = image.getImageData();
            int n = 0;
            for (int y = 0; y < d.height; y++) {
                for (int x = 0; x < d.width; x++) {
                    int c = rgb(d, x, y);
                    int r = c >> 16 & 0xFF, g = c >> 8 & 0xFF, b = c & 0xFF;
                    // the overlay's 0xffd040, allowing for a display of fewer colours; the scene is black and white
                    if (r >= 0xE0 && g >= 0xA0 && g <= 0xF0 && b <= 0x80) {
                        n++;
                    }
                }
            }
            return n;
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    private static double centroidX(ImageData d) {
        double sum = 0;
        long n = 0;
        for (int y = 0; y < d.height; y++) {
            for (int x = 0; x < d.width; x++) {
                if ((rgb(d, x, y) >> 16 & 0xFF) > 127) {
                    sum += x + 0.5;
                    n++;
                }
            }
        }
        assertTrue(n > 0, "the sphere is in the frame");
        return sum / n;
    }

    private static int rgb(ImageData d, int x, int y) {
        var c = d.palette.getRGB(d.getPixel(x, y));
        return c.red << 16 | c.green << 8 | c.blue;
    }
}
