// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core;

/**
 * Display-cluster settings: stereo parameters, debug overlays and the tile grid of the display wall.
 * Tiles are numbered in rows bottom-to-top and columns left-to-right, as VRED's display tree does.
 *
 * @param eyeSeparation distance between the eyes, millimetres (&gt;= 0)
 * @param zeroParallax  distance of the zero-parallax plane, millimetres (&gt; 0)
 * @param showTiles     draw tile borders in the render window (debugging)
 * @param showTestImage show a test image on the nodes instead of the scene
 * @param rows          tile rows of the display wall (&gt;= 1)
 * @param columns       tile columns of the display wall (&gt;= 1)
 */
public record DisplaySettings(double eyeSeparation, double zeroParallax, boolean showTiles, boolean showTestImage,
        int rows, int columns) {

    /** 65 mm eye separation, 1000 mm zero parallax, no overlays, one tile. */
    public static final DisplaySettings DEFAULT = new DisplaySettings(65.0, 1000.0, false, false, 1, 1);

    public DisplaySettings {
        if (!Double.isFinite(eyeSeparation) || eyeSeparation < 0 || eyeSeparation > 1e6) {
            throw new IllegalArgumentException("eye separation must be a finite number 0..1e6 mm, not " + eyeSeparation);
        }
        if (!Double.isFinite(zeroParallax) || zeroParallax <= 0 || zeroParallax > 1e9) {
            throw new IllegalArgumentException("zero parallax must be a finite number > 0 and <= 1e9 mm, not " + zeroParallax);
        }
        if (rows < 1 || columns < 1 || rows > 1024 || columns > 1024) {
            throw new IllegalArgumentException("tile rows and columns must be 1..1024");
        }
    }

    public DisplaySettings withEyeSeparation(double value) {
        return new DisplaySettings(value, zeroParallax, showTiles, showTestImage, rows, columns);
    }

    public DisplaySettings withZeroParallax(double value) {
        return new DisplaySettings(eyeSeparation, value, showTiles, showTestImage, rows, columns);
    }

    public DisplaySettings withShowTiles(boolean value) {
        return new DisplaySettings(eyeSeparation, zeroParallax, value, showTestImage, rows, columns);
    }

    public DisplaySettings withShowTestImage(boolean value) {
        return new DisplaySettings(eyeSeparation, zeroParallax, showTiles, value, rows, columns);
    }
}
