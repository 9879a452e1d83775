// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import java.nio.file.Path;
import java.util.HashMap;

import org.tessera.render.core.SceneException;

/** Entry point of the POV-Ray export for the API class. */
public final class SceneExport {
    private SceneExport() {
    }

    /** POV-Ray text of the JSON scene at {@code clock}, framed for {@code width x height}. */
    public static String povText(Path scene, double clock, int width, int height) throws SceneException {
        Path abs = scene.toAbsolutePath().normalize();
        Scene s = SceneLoader.build(SceneLoader.parse(abs), abs.getParent(), clock, new HashMap<>());
        return PovExporter.export(s, width, height);
    }
}
