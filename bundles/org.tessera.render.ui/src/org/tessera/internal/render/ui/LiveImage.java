// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.ui;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;

/**
 * The frame being rendered, as it fills: 8-bit RGB image data into which each tile's 16-bit pixels are
 * pasted as the renderer accepts them, and the list of tiles with the worker that rendered each.
 * Thread-safe: workers paste, the UI thread copies.
 */
public final class LiveImage {
    /** A tile that arrived, and from where. */
    public record ArrivedTile(Tile tile, String worker) {
    }

    private final ImageData data;
    private final List<ArrivedTile> tiles = new ArrayList<>();
    private final int frame;

    public LiveImage(int width, int height, int frame) {
        this.data = new ImageData(width, height, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
        this.frame = frame;
        int grey = 0x303030;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                data.setPixel(x, y, ((x / 16 + y / 16) & 1) == 0 ? grey : 0x3a3a3a);
            }
        }
    }

    public int width() {
        return data.width;
    }

    public int height() {
        return data.height;
    }

    public int frame() {
        return frame;
    }

    /** Pastes a tile's pixels (16-bit samples, scaled to 8 bits). */
    public synchronized void paste(TilePixels pixels, String worker) {
        Tile t = pixels.tile();
        for (int y = 0; y < t.height(); y++) {
            for (int x = 0; x < t.width(); x++) {
                int r = to8(pixels.sample(x, y, 0));
                int g = to8(pixels.sample(x, y, 1));
                int b = to8(pixels.sample(x, y, 2));
                if (t.x() + x < data.width && t.y() + y < data.height) {
                    data.setPixel(t.x() + x, t.y() + y, r << 16 | g << 8 | b);
                }
            }
        }
        tiles.add(new ArrivedTile(t, worker));
    }

    /** 16 bits to 8, rounded as the renderer writes 8-bit frames, so the view shows the frame file's pixels. */
    private static int to8(int v16) {
        return (v16 * 255 + 32767) / 65535;
    }

    /** A copy of the pixels so far, for painting or saving. */
    public synchronized ImageData snapshot() {
        return (ImageData) data.clone();
    }

    /** The tiles so far, in arrival order. */
    public synchronized List<ArrivedTile> tiles() {
        return List.copyOf(tiles);
    }

    /** The 0xRRGGBB pixel at (x, y) (tests). */
    public synchronized int pixel(int x, int y) {
        return data.getPixel(x, y);
    }
}
