// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.util.Objects;

/**
 * The rendered pixels of one {@link Tile}: 16-bit unsigned RGB samples (read them with
 * {@code & 0xFFFF}), interleaved, row by row from the tile's top-left pixel, so
 * {@code rgb.length == 3 * tile.width() * tile.height()}.
 */
public record TilePixels(Tile tile, short[] rgb) {
    public TilePixels {
        Objects.requireNonNull(tile, "tile");
        Objects.requireNonNull(rgb, "rgb");
    }

    /**
     * Checks that these pixels are what was asked for: the same tile and exactly one RGB triple per
     * pixel. A worker's answer is never pasted into a frame before this passes.
     *
     * @throws MalformedTileException naming what is wrong
     */
    public void validate(Tile expected) throws MalformedTileException {
        if (!tile.equals(expected)) {
            throw new MalformedTileException("tile " + tile + " returned where " + expected + " was asked for");
        }
        long want = 3L * expected.pixels();
        if (rgb.length != want) {
            throw new MalformedTileException("tile " + expected + " has " + rgb.length + " samples, expected " + want);
        }
    }

    /**
     * Copies these pixels into a whole-image RGB array {@code canvas} that is {@code canvasWidth} pixels
     * wide, at the tile's position.
     */
    public void pasteInto(short[] canvas, int canvasWidth) {
        int rowSamples = tile.width() * 3;
        for (int row = 0; row < tile.height(); row++) {
            System.arraycopy(rgb, row * rowSamples, canvas, ((tile.y() + row) * canvasWidth + tile.x()) * 3, rowSamples);
        }
    }

    /** Sample {@code channel} (0 red, 1 green, 2 blue) of pixel {@code (px, py)} relative to the tile, 0..65535. */
    public int sample(int px, int py, int channel) {
        return rgb[3 * (py * tile.width() + px) + channel] & 0xFFFF;
    }
}
