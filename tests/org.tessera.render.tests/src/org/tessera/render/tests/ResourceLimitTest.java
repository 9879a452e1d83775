// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

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
    void aNodeAnswers413ForAnImageThatCannotFitAnd400ForMalformedRequestsAndKeepsServing() throws Exception {
        int port = TesseraProcess.freePort();
        try (TesseraProcess node = RenderFixtures.startNode(dir, "limit-node", port)) {
            SceneArchive a = RenderFixtures.putSpheres(port, dir.resolve("node-scenes"));
            for (int side : new int[] {20000, 46341}) {
                var r = RenderFixtures.postRender(port, RenderFixtures.spheresRequest(a.sha256(), side, side));
                assertEquals(413, r.statusCode(), r.body());
                assertTrue(r.body().contains("an image of " + side + "x" + side + " needs"), r.body());
            }
            // malformed requests: 400 with a reason, no Java internals, and the node keeps serving
            for (String bad : new String[] {"{\"sha256\":[1],\"x\":\"a\"}", "{}", "[".repeat(100_000), "{{{"}) {
                var r = RenderFixtures.postRender(port, bad);
                assertEquals(400, r.statusCode(), r.body());
                assertTrue(r.body().contains("render request") && !r.body().contains("com.google")
                        && !r.body().contains("Exception"), r.body());
            }
            assertEquals(200, RenderFixtures.postRender(port, RenderFixtures.spheresRequest(a.sha256(), 8, 8)).statusCode(), "the node keeps serving");
        }
    }
}
