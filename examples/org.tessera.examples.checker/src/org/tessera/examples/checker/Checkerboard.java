// SPDX-License-Identifier: EPL-2.0
package org.tessera.examples.checker;

/**
 * Pixels of a checkerboard debug image: squares of {@code cell} pixels alternating two colours, so
 * tile seams, flips and offsets show at a glance. Pure function of (x, y), so any tiling is exact.
 */
public final class Checkerboard {
    /** Light square colour, 0xRRGGBB. */
    public static final int LIGHT = 0xE8E8E8;
    /** Dark square colour, 0xRRGGBB. */
    public static final int DARK = 0x2E6FBF;

    private Checkerboard() {
    }

    /** The 0xRRGGBB colour at pixel (x, y) for squares of {@code cell} pixels. */
    public static int rgb(int x, int y, int cell) {
        if (cell <= 0) {
            throw new IllegalArgumentException("cell size must be positive: " + cell);
        }
        return ((Math.floorDiv(x, cell) + Math.floorDiv(y, cell)) & 1) == 0 ? LIGHT : DARK;
    }
}
