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
 */
public record RenderSettings(int width, int height, int antialias, double clock, StereoEye eye, int threads,
        DisplayOptions display) {
    public RenderSettings {
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

    /** Settings without display options. */
    public RenderSettings(int width, int height, int antialias, double clock, StereoEye eye, int threads) {
        this(width, height, antialias, clock, eye, threads, DisplayOptions.NONE);
    }

    /** A still, mono, single-threaded frame without antialiasing. */
    public static RenderSettings of(int width, int height) {
        return new RenderSettings(width, height, 1, 0.0, StereoEye.CENTER, 1);
    }

    public RenderSettings withAntialias(int samplesPerAxis) {
        return new RenderSettings(width, height, samplesPerAxis, clock, eye, threads, display);
    }

    public RenderSettings withClock(double newClock) {
        return new RenderSettings(width, height, antialias, newClock, eye, threads, display);
    }

    public RenderSettings withThreads(int newThreads) {
        return new RenderSettings(width, height, antialias, clock, eye, newThreads, display);
    }

    public RenderSettings withEye(StereoEye newEye) {
        return new RenderSettings(width, height, antialias, clock, newEye, threads, display);
    }

    public RenderSettings withDisplay(DisplayOptions options) {
        return new RenderSettings(width, height, antialias, clock, eye, threads, options);
    }

    /** The whole image as one tile. */
    public Tile fullFrame() {
        return new Tile(0, 0, width, height);
    }
}
