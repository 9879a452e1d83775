// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.raytracer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.tessera.internal.render.raytracer.SceneExport;
import org.tessera.render.core.SceneException;

/** Facts about the built-in raytracer and its JSON scene format (docs/scene-format.md). */
public final class RaytracerScenes {
    /** The engine name, as used by {@code tessera render --engine}. */
    public static final String ENGINE = "raytracer";

    private RaytracerScenes() {
    }

    /**
     * Writes the JSON scene {@code scene} as a POV-Ray 3.7 scene file {@code pov}, as it stands at the
     * animation {@code clock} (0..1), framed for a {@code width x height} image.
     *
     * @throws SceneException when the scene cannot be read
     */
    public static void exportPov(Path scene, double clock, int width, int height, Path pov)
            throws SceneException, IOException {
        String text = SceneExport.povText(scene, clock, width, height);
        Path parent = pov.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(pov, text);
    }
}
