// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.tessera.core.FrameRange;

/**
 * A render job to run: which scene, frames, size and engine, where the frames go, and where tiles are
 * rendered. Build one with {@link #of(RenderScene, FrameRange, int, int, String)} and the
 * {@code with...} methods.
 *
 * @param scene        the scene archive
 * @param frames       frames to render; frames whose file already exists with the same settings are skipped
 *                     (resume), see {@code force}
 * @param width        image width in pixels
 * @param height       image height in pixels
 * @param engine       engine name, or {@code null} to take the first engine that accepts the scene
 * @param output       frame file pattern, see {@link FramePattern}; relative to the scene folder when relative
 * @param antialias    samples per pixel along each axis (1 = off)
 * @param bitDepth     8 or 16 bits per PNG channel
 * @param localWorkers number of in-process workers when {@code workers} is empty (0 = one per core)
 * @param workers      places to render tiles (cluster nodes); empty renders in-process
 * @param project      project name for events and the tracker
 * @param user         user name for events and the tracker
 * @param tileTimeout  longest one worker may take for one tile before the tile is handed to another
 *                     worker (its late answer still counts if first); zero for no limit
 * @param tileSize     side of the square tiles, pixels, for engines that cut frames into a grid
 *                     ({@link EngineCapability#TILE_GRID}); 0 = the engine's own plan. Engines with a
 *                     plan of their own (POV-Ray's row bands) ignore it
 * @param display      stereo, test image and tile overlay ({@link DisplayOptions}); null = {@link DisplayOptions#NONE}
 * @param eye          the eye this request renders: {@link StereoEye#CENTER} for mono; {@link #eyes()} sets it
 * @param engineOptions the user's own options for the engine ({@link RenderSettings#engineOptions()}), every
 *                     tile gets them; empty for none
 * @param engineIni    the text of the user's INI file for the engine ({@link RenderSettings#engineIni()}); empty
 *                     for none
 * @param force        render every frame, also those whose file exists. Without it a frame file is skipped when
 *                     it records the same settings (or none), and the job is refused
 *                     ({@link StaleFramesException}) when it records other settings
 */
public record RenderRequest(RenderScene scene, FrameRange frames, int width, int height, String engine, String output,
        int antialias, int bitDepth, int localWorkers, List<TileWorker> workers, String project, String user,
        Duration tileTimeout, int tileSize, DisplayOptions display, StereoEye eye, String engineOptions, String engineIni,
        boolean force) {

    /** Largest {@link #tileSize()}: {@value} pixels. */
    public static final int MAX_TILE_SIZE = 4096;

    public RenderRequest {
        Objects.requireNonNull(scene, "scene");
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(output, "output");
        if (width <= 0 || height <= 0 || width > 32768 || height > 32768) {
            throw new IllegalArgumentException("image size must be 1..32768 on each side: " + width + "x" + height);
        }
        if (bitDepth != 8 && bitDepth != 16) {
            throw new IllegalArgumentException("bit depth must be 8 or 16: " + bitDepth);
        }
        if (localWorkers < 0) {
            throw new IllegalArgumentException("localWorkers must not be negative");
        }
        workers = List.copyOf(workers);
        project = project == null ? scene.folder().getFileName().toString() : project;
        user = user == null ? System.getProperty("user.name", "tessera") : user;
        tileTimeout = tileTimeout == null || tileTimeout.isNegative() ? Duration.ZERO : tileTimeout;
        if (tileSize < 0 || tileSize > MAX_TILE_SIZE) {
            throw new IllegalArgumentException("tile size must be 1.." + MAX_TILE_SIZE + " pixels, or 0 for the engine's plan: "
                    + tileSize);
        }
        display = display == null ? DisplayOptions.NONE : display;
        eye = eye == null ? StereoEye.CENTER : eye;
        engineOptions = engineOptions == null ? "" : engineOptions.strip();
        engineIni = engineIni == null ? "" : engineIni;
    }

    /** A request without engine options of the user's own, skipping frames already rendered. */
    public RenderRequest(RenderScene scene, FrameRange frames, int width, int height, String engine, String output,
            int antialias, int bitDepth, int localWorkers, List<TileWorker> workers, String project, String user,
            Duration tileTimeout, int tileSize, DisplayOptions display, StereoEye eye) {
        this(scene, frames, width, height, engine, output, antialias, bitDepth, localWorkers, workers, project, user,
                tileTimeout, tileSize, display, eye, "", "", false);
    }

    /** A mono request without display options. */
    public RenderRequest(RenderScene scene, FrameRange frames, int width, int height, String engine, String output,
            int antialias, int bitDepth, int localWorkers, List<TileWorker> workers, String project, String user,
            Duration tileTimeout, int tileSize) {
        this(scene, frames, width, height, engine, output, antialias, bitDepth, localWorkers, workers, project, user,
                tileTimeout, tileSize, DisplayOptions.NONE, StereoEye.CENTER, "", "", false);
    }

    /** A request with the engine's own tile plan (no {@link #tileSize()}). */
    public RenderRequest(RenderScene scene, FrameRange frames, int width, int height, String engine, String output,
            int antialias, int bitDepth, int localWorkers, List<TileWorker> workers, String project, String user,
            Duration tileTimeout) {
        this(scene, frames, width, height, engine, output, antialias, bitDepth, localWorkers, workers, project, user,
                tileTimeout, 0);
    }

    /** Frames of {@code scene} at {@code width x height} into {@code output}, 8-bit, no antialiasing, in-process. */
    public static RenderRequest of(RenderScene scene, FrameRange frames, int width, int height, String output) {
        return new RenderRequest(scene, frames, width, height, null, output, 1, 8, 0, List.of(), null, null, Duration.ZERO);
    }

    public RenderRequest withEngine(String name) {
        return new RenderRequest(scene, frames, width, height, name, output, antialias, bitDepth, localWorkers, workers,
                project, user, tileTimeout, tileSize, display, eye, engineOptions, engineIni, force);
    }

    public RenderRequest withAntialias(int samples) {
        return new RenderRequest(scene, frames, width, height, engine, output, samples, bitDepth, localWorkers, workers,
                project, user, tileTimeout, tileSize, display, eye, engineOptions, engineIni, force);
    }

    public RenderRequest withBitDepth(int bits) {
        return new RenderRequest(scene, frames, width, height, engine, output, antialias, bits, localWorkers, workers,
                project, user, tileTimeout, tileSize, display, eye, engineOptions, engineIni, force);
    }

    public RenderRequest withLocalWorkers(int count) {
        return new RenderRequest(scene, frames, width, height, engine, output, antialias, bitDepth, count, workers,
                project, user, tileTimeout, tileSize, display, eye, engineOptions, engineIni, force);
    }

    public RenderRequest withWorkers(List<TileWorker> places) {
        return new RenderRequest(scene, frames, width, height, engine, output, antialias, bitDepth, localWorkers, places,
                project, user, tileTimeout, tileSize, display, eye, engineOptions, engineIni, force);
    }

    public RenderRequest withProject(String projectName, String userName) {
        return new RenderRequest(scene, frames, width, height, engine, output, antialias, bitDepth, localWorkers, workers,
                projectName, userName, tileTimeout, tileSize, display, eye, engineOptions, engineIni, force);
    }

    public RenderRequest withTileTimeout(Duration timeout) {
        return new RenderRequest(scene, frames, width, height, engine, output, antialias, bitDepth, localWorkers, workers,
                project, user, timeout, tileSize, display, eye, engineOptions, engineIni, force);
    }

    /** Square tiles of {@code pixels} on a side where the engine cuts a grid; 0 = the engine's own plan. */
    public RenderRequest withTileSize(int pixels) {
        return new RenderRequest(scene, frames, width, height, engine, output, antialias, bitDepth, localWorkers, workers,
                project, user, tileTimeout, pixels, display, eye, engineOptions, engineIni, force);
    }

    /** Stereo, test image and tile overlay settings ({@link DisplayOptions}). */
    public RenderRequest withDisplay(DisplayOptions options) {
        return new RenderRequest(scene, frames, width, height, engine, output, antialias, bitDepth, localWorkers, workers,
                project, user, tileTimeout, tileSize, options, eye, engineOptions, engineIni, force);
    }

    /**
     * The requests to run: this one when mono; for {@link DisplayOptions#stereo()} a left and a right
     * request, each writing its frames with {@code _left}/{@code _right} before the file extension
     * ({@code shot_####.png} → {@code shot_####_left.png}) and tracked as project {@code "<project> (left)"}.
     */
    public List<RenderRequest> eyes() {
        if (!display.stereo()) {
            return List.of(this);
        }
        return List.of(forEye(StereoEye.LEFT), forEye(StereoEye.RIGHT));
    }

    private RenderRequest forEye(StereoEye which) {
        String name = which.name().toLowerCase(java.util.Locale.ROOT);
        int slash = Math.max(output.lastIndexOf('/'), output.lastIndexOf('\\'));
        int dot = output.lastIndexOf('.');
        String eyeOutput = dot > slash ? output.substring(0, dot) + "_" + name + output.substring(dot) : output + "_" + name;
        return new RenderRequest(scene, frames, width, height, engine, eyeOutput, antialias, bitDepth, localWorkers,
                workers, project + " (" + name + ")", user, tileTimeout, tileSize, display.withStereo(false), which,
                engineOptions, engineIni, force);
    }

    /**
     * The user's own options for the engine and the text of their INI file, given to every tile (null or
     * empty for none), e.g. POV-Ray's {@code "+Q9 +A0.1 +AM2 +R3"}.
     */
    public RenderRequest withEngineOptions(String options, String ini) {
        return new RenderRequest(scene, frames, width, height, engine, output, antialias, bitDepth, localWorkers, workers,
                project, user, tileTimeout, tileSize, display, eye, options, ini, force);
    }

    /** Renders every frame, also those whose file exists (with the same or other settings). */
    public RenderRequest withForce(boolean renderAll) {
        return new RenderRequest(scene, frames, width, height, engine, output, antialias, bitDepth, localWorkers, workers,
                project, user, tileTimeout, tileSize, display, eye, engineOptions, engineIni, renderAll);
    }

    /** The file frame {@code frame} is written to. */
    public Path frameFile(int frame) {
        return FramePattern.of(output).file(scene.folder(), frame);
    }
}
