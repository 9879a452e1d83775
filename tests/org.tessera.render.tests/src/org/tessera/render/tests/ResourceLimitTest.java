// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.core.FrameRange;
import org.tessera.render.core.ImageTooLargeException;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.SceneArchive;
import org.tessera.testing.TesseraProcess;

/**
 * Resource limits always answer (issue 17): an image too large for memory is refused up front with a
 * message, by the renderer and by a real node, which keeps serving.
 */
class ResourceLimitTest {

    @TempDir
    Path dir;

    @Test
    void theRendererRefusesAFrameThatCannotFitInMemory() throws Exception {
        Path scenes = RenderFixtures.exampleScenes(dir.resolve("scenes"));
        RenderScene spheres = RenderScene.ofFile(scenes.resolve("spheres.json"));
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> RenderFixtures.renderer()
                .start(RenderRequest.of(spheres, FrameRange.single(1), 20000, 20000, dir.resolve("big_#.png").toString()), null));
        assertTrue(e.getMessage().startsWith("a frame of 20000x20000 needs 2289 MB"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("big_1.png")));
    }

    @Test
    void aNodeAnswers413ForAnImageThatCannotFitAndKeepsServing() throws Exception {
        int port = TesseraProcess.freePort();
        try (TesseraProcess node = TesseraProcess.start(dir, "limit-node", "node", "serve", "--port", String.valueOf(port))) {
            node.awaitLine(l -> l.startsWith("Node listening on http://127.0.0.1:"), Duration.ofSeconds(60));
            HttpClient http = HttpClient.newHttpClient();
            Path scenes = RenderFixtures.exampleScenes(dir.resolve("node-scenes"));
            SceneArchive a = SceneArchive.of(RenderScene.ofFile(scenes.resolve("spheres.json")));
            var put = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/scenes?sha256=" + a.sha256()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(a.zip())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, put.statusCode(), put.body());
            for (int side : new int[] {20000, 46341}) {
                String render = "{\"sha256\":\"" + a.sha256() + "\",\"main\":\"spheres.json\",\"engine\":\"raytracer\","
                        + "\"frame\":1,\"x\":0,\"y\":0,\"width\":" + side + ",\"height\":" + side + ",\"imageWidth\":" + side
                        + ",\"imageHeight\":" + side + "}";
                var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/render"))
                        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(render)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(413, r.statusCode(), r.body());
                assertTrue(r.body().contains("an image of " + side + "x" + side + " needs"), r.body());
            }
            String small = "{\"sha256\":\"" + a.sha256() + "\",\"main\":\"spheres.json\",\"engine\":\"raytracer\","
                    + "\"frame\":1,\"x\":0,\"y\":0,\"width\":8,\"height\":8,\"imageWidth\":8,\"imageHeight\":8}";
            var ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/render"))
                    .POST(HttpRequest.BodyPublishers.ofString(small)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, ok.statusCode(), "the node keeps serving");
        }
    }
}
