// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/**
 * The VRED-style display settings of a render (the cluster service's {@code setEyeSeparation},
 * {@code setZeroParallax}, {@code setShowTestImage}, {@code setShowTiles}), carried in a
 * {@link RenderRequest} and, per tile, in {@link RenderSettings}.
 *
 * @param stereo        render both eyes: {@link RenderRequest#eyes()} turns the request into a left and a
 *                      right request whose frames are written with {@code _left}/{@code _right} names
 * @param eyeSeparation distance between the eyes, millimetres; NaN = the scene camera's own. Scenes of
 *                      the built-in raytracer are in metres (1 unit = 1000 mm)
 * @param zeroParallax  distance of the zero-parallax plane from the camera, millimetres: each eye gets an
 *                      off-axis (asymmetric) frustum so that objects at this distance are at the same
 *                      place in both images; 0 = parallel cameras (no convergence)
 * @param showTestImage render the test pattern ({@link TestPattern}) instead of the scene
 * @param showTiles     draw tile borders and the name of the node that rendered each tile into the frames
 */
public record DisplayOptions(boolean stereo, double eyeSeparation, double zeroParallax, boolean showTestImage,
        boolean showTiles) {

    /** Mono, the scene's own camera, no overlays. */
    public static final DisplayOptions NONE = new DisplayOptions(false, Double.NaN, 0, false, false);

    public DisplayOptions {
        if (!Double.isNaN(eyeSeparation) && (!Double.isFinite(eyeSeparation) || eyeSeparation < 0 || eyeSeparation > 1e6)) {
            throw new IllegalArgumentException("eye separation must be 0..1e6 mm, not " + eyeSeparation);
        }
        if (!Double.isFinite(zeroParallax) || zeroParallax < 0 || zeroParallax > 1e9) {
            throw new IllegalArgumentException("zero parallax must be 0 (parallel cameras) or a distance up to 1e9 mm, not "
                    + zeroParallax);
        }
    }

    public DisplayOptions withStereo(boolean value) {
        return new DisplayOptions(value, eyeSeparation, zeroParallax, showTestImage, showTiles);
    }

    public DisplayOptions withEyeSeparation(double millimetres) {
        return new DisplayOptions(stereo, millimetres, zeroParallax, showTestImage, showTiles);
    }

    public DisplayOptions withZeroParallax(double millimetres) {
        return new DisplayOptions(stereo, eyeSeparation, millimetres, showTestImage, showTiles);
    }

    public DisplayOptions withShowTestImage(boolean value) {
        return new DisplayOptions(stereo, eyeSeparation, zeroParallax, value, showTiles);
    }

    public DisplayOptions withShowTiles(boolean value) {
        return new DisplayOptions(stereo, eyeSeparation, zeroParallax, showTestImage, value);
    }

    /** Whether the eye separation is set here (else the scene's own is used). */
    public boolean hasEyeSeparation() {
        return !Double.isNaN(eyeSeparation);
    }
}
