// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.util.Objects;

/**
 * The rendered pixels of one {@link Tile}: 16-bit unsigned RGB samples (read them with
 * {@code & 0xFFFF}), interleaved, row by row from the tile's top-left pixel, so
 * {@code rgb.length == 3 * tile.width() * tile.height()}.
 * <p>
 * {@code rowSeconds}, when the engine measured it, is the render time of each of the tile's rows in
 * seconds (without the engine's fixed start cost such as parsing): the scheduler learns a frame's
 * row-cost profile from it and cuts later frames of the same scene into bands of equal cost. Engines
 * that do not measure it pass {@code null}.
 */
public record TilePixels(Tile tile, short[] rgb, double[] rowSeconds) {
    public TilePixels {
        Objects.requireNonNull(tile, "tile");
        Objects.requireNonNull(rgb, "rgb");
        if (rowSeconds != null) {
            if (rowSeconds.length != tile.height()) {
                throw new IllegalArgumentException("rowSeconds has " + rowSeconds.length + " entries for a tile of "
                        + tile.height() + " rows");
            }
            for (double s : rowSeconds) {
                if (!(s >= 0) || Double.isInfinite(s)) {
                    throw new IllegalArgumentException("row seconds must be finite and not negative: " + s);
                }
            }
        }
    }

    /** Pixels without a row-cost measurement. */
    public TilePixels(Tile tile, short[] rgb) {
        this(tile, rgb, null);
    }

    /** The same pixels with the given per-row render times ({@code null} for none). */
    public TilePixels withRowSeconds(double[] seconds) {
        return new TilePixels(tile, rgb, seconds);
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
