// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.tessera.internal.render.core.PngImage;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.TileRenderer;
import org.tessera.testing.OsgiServices;

/** Shared helpers: the real services, example scenes copied out of the raytracer bundle, image comparison. */
final class RenderFixtures {
    static final Path POVRAY_SCENES = Path.of("/usr/share/povray-3.7/scenes");

    private RenderFixtures() {
    }

    static TileRenderer renderer() {
        return OsgiServices.get(TileRenderer.class);
    }

    /** The named engine, waiting for DS to bind it. */
    static RenderEngine engine(String name) {
        TileRenderer r = renderer();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            var e = r.engine(name);
            if (e.isPresent()) {
                return e.get();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        return fail("engine " + name + " not registered; have " + r.engines());
    }

    /** Copies the raytracer bundle's example scenes into {@code dir}. */
    static Path exampleScenes(Path dir) {
        Bundle raytracer = FrameworkUtil.getBundle(org.tessera.render.raytracer.RaytracerScenes.class);
        Enumeration<URL> urls = raytracer.findEntries("scenes", "*", false);
        if (urls == null) {
            fail("no scenes/ in " + raytracer.getSymbolicName());
        }
        try {
            Files.createDirectories(dir);
            while (urls.hasMoreElements()) {
                URL u = urls.nextElement();
                String name = u.getPath().substring(u.getPath().lastIndexOf('/') + 1);
                if (!name.isEmpty()) {
                    try (InputStream in = u.openStream()) {
                        Files.copy(in, dir.resolve(name));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static void assertSameSize(PngImage a, PngImage b) {
        assertEquals(a.width(), b.width(), "width");
        assertEquals(a.height(), b.height(), "height");
    }

    /** Largest difference of any sample, 0..65535. */
    static int maxDifference(short[] a, short[] b) {
        assertEquals(a.length, b.length, "sample count");
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xFFFF) - (b[i] & 0xFFFF)));
        }
        return max;
    }

    /** Peak signal-to-noise ratio in dB over 16-bit samples; infinity when identical. */
    static double psnr(short[] a, short[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xFFFF) - (b[i] & 0xFFFF);
            sum += d * d;
        }
        if (sum == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double mse = sum / a.length;
        return 10 * Math.log10(65535.0 * 65535.0 / mse);
    }

    /**
     * Starts {@code count} {@code tessera node serve} processes named {@code <prefix><i>} under {@code work},
     * adds them and their ports to the lists, and waits until each listens and offers {@code engines}.
     */
    static void startNodes(Path work, String prefix, int count, List<org.tessera.testing.TesseraProcess> nodes,
            List<Integer> ports, String... engines) {
        java.time.Duration wait = java.time.Duration.ofSeconds(90);
        for (int i = 0; i < count; i++) {
            int port = org.tessera.testing.TesseraProcess.freePort();
            ports.add(port);
            nodes.add(org.tessera.testing.TesseraProcess.start(work, prefix + i, "node", "serve", "--port", String.valueOf(port)));
        }
        for (var p : nodes) {
            p.awaitLine(l -> l.startsWith("Node listening on http://127.0.0.1:"), wait);
            String offered = p.awaitLine(l -> l.startsWith("Render engines:"), wait);
            for (String e : engines) {
                org.junit.jupiter.api.Assertions.assertTrue(offered.contains(e), offered);
            }
        }
    }

    /** Tile workers for the nodes on {@code ports} at {@code indexes}, each taking {@code capacity} tiles at once. */
    static List<org.tessera.render.core.TileWorker> remoteWorkers(List<Integer> ports, int capacity, String master,
            int... indexes) {
        List<org.tessera.render.core.TileWorker> list = new java.util.ArrayList<>();
        for (int i : indexes) {
            list.add(new org.tessera.internal.render.core.RemoteTileWorker(
                    org.tessera.cluster.core.ClusterNode.of("127.0.0.1", ports.get(i)), capacity, null, master));
        }
        return list;
    }

    /** Starts {@code tessera node serve} on {@code port} under {@code dir} and waits until it listens. */
    static org.tessera.testing.TesseraProcess startNode(Path dir, String name, int port) {
        var node = org.tessera.testing.TesseraProcess.start(dir, name, "node", "serve", "--port", String.valueOf(port));
        node.awaitLine(l -> l.startsWith("Node listening on http://127.0.0.1:"), java.time.Duration.ofSeconds(60));
        return node;
    }

    /** Sends the example scene spheres.json (copied under {@code dir}) to the node on {@code port}: 201 or the test fails. */
    static org.tessera.render.core.SceneArchive putSpheres(int port, Path dir) throws Exception {
        Path scenes = exampleScenes(dir);
        var a = org.tessera.render.core.SceneArchive.of(org.tessera.render.core.RenderScene.ofFile(scenes.resolve("spheres.json")));
        var put = putScene(port, a.zip());
        org.junit.jupiter.api.Assertions.assertEquals(201, put.statusCode(), put.body());
        return a;
    }

    /** A node's render request for the whole {@code width x height} image of spheres.json, frame 1, built-in raytracer. */
    static String spheresRequest(String sha, int width, int height) {
        return "{\"sha256\":\"" + sha + "\",\"main\":\"spheres.json\",\"engine\":\"raytracer\",\"frame\":1,\"x\":0,"
                + "\"y\":0,\"width\":" + width + ",\"height\":" + height + ",\"imageWidth\":" + width
                + ",\"imageHeight\":" + height + "}";
    }

    /** {@code PUT /v1/scenes?sha256=} of an archive to the node on {@code port}. */
    static java.net.http.HttpResponse<String> putScene(int port, byte[] zip) throws IOException, InterruptedException {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + port + "/v1/scenes?sha256=" + org.tessera.render.core.SceneArchive.sha256(zip)))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(zip)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST /v1/render} of a JSON request to the node on {@code port}. */
    static java.net.http.HttpResponse<String> postRender(int port, String json) throws IOException, InterruptedException {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/v1/render")).timeout(java.time.Duration.ofSeconds(60))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
