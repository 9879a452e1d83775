// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.render.ui.LiveImage;
import org.tessera.internal.render.ui.RenderPart;

/** The Render view over the real tile renderer and the built-in raytracer: tiles arrive in the live image. */
class RenderViewTest {
    @TempDir
    Path tmp;

    @Test
    void tilesArriveInTheLiveImageAndTheFrameIsSaved() throws Exception {
        Path repo = Path.of(System.getProperty("tessera.repo.root"));
        Path scenes = repo.resolve("bundles/org.tessera.render.raytracer/scenes");
        Path scene = tmp.resolve("scene");
        Files.createDirectories(scene);
        try (var files = Files.list(scenes)) {
            for (Path f : files.toList()) {
                Files.copy(f, scene.resolve(f.getFileName()));
            }
        }
        Shell shell = UiTestSupport.shell("Render", 1000, 640);
        try {
            RenderPart part = UiTestSupport.makePart(RenderPart.class, shell);
            shell.open();
            part.setRequest(scene.resolve("spheres.json"), "1", 480, 270, "raytracer", 3);
            Job job = part.start();
            UiTestSupport.waitUntil("the first tiles", Duration.ofSeconds(60),
                    () -> part.image() != null && part.image().tiles().size() >= 2);
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

    private static int rgb(ImageData d, int x, int y) {
        var c = d.palette.getRGB(d.getPixel(x, y));
        return c.red << 16 | c.green << 8 | c.blue;
    }
}
