// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/**
 * How to render one frame, the same for every tile of it.
 *
 * @param width      full image width in pixels (tiles are parts of this)
 * @param height     full image height in pixels
 * @param antialias  samples per pixel along each axis: 1 = off, 3 = 9 samples per pixel. Engines map it
 *                   to their own options (POV-Ray: off for 1, adaptive {@code +AM2 +R<n>} above)
 * @param clock      animation clock of the frame, 0.0 at the first frame of the job and 1.0 at the last
 *                   (POV-Ray's {@code clock}); 0.0 for a single frame
 * @param eye        stereo eye to render
 * @param threads    threads an engine may use for one tile (POV-Ray's {@code +WT}); at least 1
 * @param display    eye separation, zero parallax and test image of the render ({@link DisplayOptions});
 *                   null = {@link DisplayOptions#NONE}
 * @param engineOptions the user's own options for the engine, as typed (POV-Ray: {@code +Q9 +A0.1 +AM2 +R3});
 *                   empty for none. Applied after the engine's own defaults, so they win; the engine refuses
 *                   those that would break tiling ({@link RenderEngine#checkOptions})
 * @param engineIni  the text of the user's INI file for the engine (POV-Ray), applied before
 *                   {@code engineOptions}; empty for none
 */
public record RenderSettings(int width, int height, int antialias, double clock, StereoEye eye, int threads,
        DisplayOptions display, String engineOptions, String engineIni) {
    public RenderSettings {
        engineOptions = engineOptions == null ? "" : engineOptions.strip();
        engineIni = engineIni == null ? "" : engineIni;
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (antialias < 1 || antialias > 16) {
            throw new IllegalArgumentException("antialias must be 1..16: " + antialias);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (eye == null) {
            eye = StereoEye.CENTER;
        }
        display = display == null ? DisplayOptions.NONE : display;
    }

    /** Settings without display options or options of the user's own for the engine. */
    public RenderSettings(int width, int height, int antialias, double clock, StereoEye eye, int threads) {
        this(width, height, antialias, clock, eye, threads, DisplayOptions.NONE, "", "");
    }

    /** Settings without options of the user's own for the engine. */
    public RenderSettings(int width, int height, int antialias, double clock, StereoEye eye, int threads,
            DisplayOptions display) {
        this(width, height, antialias, clock, eye, threads, display, "", "");
    }

    /** Settings without display options. */
    public RenderSettings(int width, int height, int antialias, double clock, StereoEye eye, int threads,
            String engineOptions, String engineIni) {
        this(width, height, antialias, clock, eye, threads, DisplayOptions.NONE, engineOptions, engineIni);
    }

    /** A still, mono, single-threaded frame without antialiasing. */
    public static RenderSettings of(int width, int height) {
        return new RenderSettings(width, height, 1, 0.0, StereoEye.CENTER, 1);
    }

    public RenderSettings withAntialias(int samplesPerAxis) {
        return new RenderSettings(width, height, samplesPerAxis, clock, eye, threads, display, engineOptions, engineIni);
    }

    public RenderSettings withClock(double newClock) {
        return new RenderSettings(width, height, antialias, newClock, eye, threads, display, engineOptions, engineIni);
    }

    public RenderSettings withThreads(int newThreads) {
        return new RenderSettings(width, height, antialias, clock, eye, newThreads, display, engineOptions, engineIni);
    }

    public RenderSettings withEye(StereoEye newEye) {
        return new RenderSettings(width, height, antialias, clock, newEye, threads, display, engineOptions, engineIni);
    }

    /** The same settings with the user's own engine options and INI text (null or empty for none). */
    public RenderSettings withEngineOptions(String options, String ini) {
        return new RenderSettings(width, height, antialias, clock, eye, threads, display, options, ini);
    }

    public RenderSettings withDisplay(DisplayOptions options) {
        return new RenderSettings(width, height, antialias, clock, eye, threads, options, engineOptions, engineIni);
    }

    /** The whole image as one tile. */
    public Tile fullFrame() {
        return new Tile(0, 0, width, height);
    }
}
