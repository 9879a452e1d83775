// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A renderer that can render any rectangle of a frame on its own: the extension point third parties
 * implement and register as an OSGi service. The {@link TileRenderer} picks engines up dynamically,
 * so a bundle installed at run time adds one.
 * <p>
 * Implementations must be thread-safe: several tiles of the same or different frames are rendered at
 * once. A tile must have exactly the pixels the same engine gives for that rectangle of a full-frame
 * render, so tiled and untiled images are identical.
 */
@ConsumerType
public interface RenderEngine {

    /** Short unique name used on the command line and in events, e.g. {@code "raytracer"}, {@code "povray"}. */
    String name();

    /** What the engine supports beyond a still image. */
    Set<EngineCapability> capabilities();

    /** Whether the engine can read this scene (usually decided by the main file's extension). */
    boolean accepts(RenderScene scene);

    /**
     * How to cut a frame for {@code workers} places rendering at once. The default is a grid of 64-pixel
     * tiles, good for engines with no per-call start cost; engines whose every call parses the scene
     * (POV-Ray) return few row bands instead.
     */
    default TilePlan planTiles(int width, int height, int workers) {
        return TilePlan.grid(width, height, 64, 64);
    }

    /**
     * Like {@link #planTiles(int, int, int)}, with what earlier renders of the same scene at the same size
     * and settings measured: {@code rowCosts[y]} is the render time of row {@code y} in seconds, or
     * {@code rowCosts} is {@code null} when nothing was measured yet. Engines that cut few costly bands
     * (POV-Ray) use it to give every band the same cost; the default ignores it.
     */
    default TilePlan planTiles(int width, int height, int workers, double[] rowCosts) {
        return planTiles(width, height, workers);
    }

    /**
     * Like {@link #planTiles(int, int, int, double[])}, for one scene: engines whose scenes may carry
     * whole-image passes (Blender's denoiser and compositor) return the whole frame as one tile for such
     * scenes. The default ignores the scene.
     */
    default TilePlan planTiles(RenderScene scene, int width, int height, int workers, double[] rowCosts) {
        return planTiles(width, height, workers, rowCosts);
    }

    /**
     * Renders one rectangle of one frame.
     *
     * @param scene    the scene archive
     * @param frame    the frame number (for file names and messages; animation uses {@link RenderSettings#clock()})
     * @param tile     the rectangle, inside {@code settings.width() x settings.height()}
     * @param settings the frame's settings
     * @return exactly the tile's pixels
     * @throws SceneException             when the scene cannot be read (retrying elsewhere will not help)
     * @throws EngineUnavailableException when the engine cannot run on this machine
     * @throws RenderException            for any other failure
     */
    TilePixels renderTile(RenderScene scene, int frame, Tile tile, RenderSettings settings) throws RenderException;
}
