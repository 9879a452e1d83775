// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.nio.file.Path;

/**
 * A demo scene of one render engine, for {@code tessera demo --engine NAME}: an engine bundle registers one
 * as an OSGi service when its scene cannot simply be copied (a Blender scene is made by Blender's own Python).
 */
public interface DemoScene {
    /** The engine that renders it ({@link RenderEngine#name()}), the value of {@code --engine}. */
    String engine();

    /** One line for the demo's output: what is rendered, how large, how many frames. */
    String description();

    /**
     * Writes the scene into {@code sceneFolder} and returns the request rendering it into {@code images}.
     *
     * @throws EngineUnavailableException when the engine's program is not installed (with an install hint)
     * @throws RenderException            when the scene cannot be made
     */
    RenderRequest request(Path sceneFolder, Path images) throws RenderException;
}
