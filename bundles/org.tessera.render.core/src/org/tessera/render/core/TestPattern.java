// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/**
 * The display cluster's test image, rendered by nodes instead of the scene when the cluster's
 * {@code setShowTestImage(true)} (or {@link DisplayOptions#showTestImage()}) is on: eight vertical colour
 * bars (white, yellow, cyan, green, magenta, red, blue, black, left to right) with a white line every 32
 * pixels, so that alignment and colour of every display tile can be checked by eye. Pure function of
 * the image size, so tiles from any node fit together.
 */
public final class TestPattern {
    /** The bars' colours, 8 bits per channel, left to right. */
    public static final int[][] BARS = {
        {255, 255, 255}, {255, 255, 0}, {0, 255, 255}, {0, 255, 0}, {255, 0, 255}, {255, 0, 0}, {0, 0, 255}, {0, 0, 0},
    };
    /** Spacing of the white grid lines, pixels. */
    public static final int GRID = 32;

    private TestPattern() {
    }

    /** The 8-bit colour of pixel (x, y) of a {@code width}-pixel-wide image. */
    public static int[] color(int x, int y, int width) {
        return x % GRID == 0 || y % GRID == 0 ? BARS[0] : BARS[(int) ((long) x * BARS.length / width)];
    }

    /** The pixels of {@code tile} of the test image of {@code width} pixels, 16 bits per sample. */
    public static TilePixels tile(int width, Tile tile) {
        short[] rgb = new short[tile.pixels() * 3];
        int o = 0;
        for (int y = tile.y(); y < tile.y() + tile.height(); y++) {
            for (int x = tile.x(); x < tile.x() + tile.width(); x++) {
                int[] c = color(x, y, width);
                for (int k = 0; k < 3; k++) {
                    rgb[o++] = (short) (c[k] * 257);
                }
            }
        }
        return new TilePixels(tile, rgb);
    }
}
