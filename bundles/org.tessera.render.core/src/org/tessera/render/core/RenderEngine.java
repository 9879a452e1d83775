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

    /**
     * The renderer's own version as its users know it (POV-Ray's {@code 3.7.0.10}, not the version of
     * the bundle that wraps it), e.g. for a farm's product list; an engine that cannot tell (the
     * program is missing) answers {@code "unknown"}. The default is the version of the bundle that
     * provides the engine (major.minor.micro), or {@code "unknown"} outside OSGi.
     */
    default String version() {
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(getClass());
        if (bundle == null) {
            return "unknown";
        }
        org.osgi.framework.Version v = bundle.getVersion();
        return v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
    }

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
     * Checks the user's own options for this engine ({@link RenderSettings#engineOptions()},
     * {@link RenderSettings#engineIni()}) before a job starts, so a job that cannot run fails at once with a
     * message naming the option. Engines check them again for every tile (a node gets them from the
     * network). The default refuses any options: an engine without options of its own ignores none silently.
     *
     * @param options the options as the user typed them, never null
     * @param ini     the text of the user's INI file, never null
     * @throws EngineOptionsException naming the option that cannot be used and why
     */
    default void checkOptions(String options, String ini) throws EngineOptionsException {
        if (!options.isBlank() || !ini.isBlank()) {
            throw new EngineOptionsException("the " + name() + " engine takes no options of its own (got '"
                    + (options.isBlank() ? "an INI file" : options) + "'); options and INI files are for POV-Ray scenes");
        }
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
     * The output the scene itself asks for, {@code {width, height, bitsPerChannel}}, for requests that name
     * none (an Envoy job of product {@code blender} has no size parameters: the scene's own resolution
     * rules); null when the engine's scenes carry no output settings (the default).
     *
     * @throws RenderException when the scene cannot be read
     */
    default int[] sceneOutput(RenderScene scene) throws RenderException {
        return null;
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
