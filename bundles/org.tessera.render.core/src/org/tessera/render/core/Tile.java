// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/**
 * A rectangle of an image in pixels: {@code x}, {@code y} are the top-left pixel (0-based, y down),
 * {@code width} and {@code height} are at least 1.
 */
public record Tile(int x, int y, int width, int height) {
    public Tile {
        if (x < 0 || y < 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad tile " + x + "," + y + " " + width + "x" + height);
        }
    }

    /** Number of pixels. */
    public int pixels() {
        return width * height;
    }

    /** Whether the tile lies inside an image of the given size. */
    public boolean fitsIn(int imageWidth, int imageHeight) {
        return (long) x + width <= imageWidth && (long) y + height <= imageHeight;
    }

    @Override
    public String toString() {
        return width + "x" + height + "+" + x + "+" + y;
    }
}
