// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The tiles one frame is cut into: non-overlapping, together covering the image exactly, in the order
 * they are handed out (top to bottom, left to right).
 */
public record TilePlan(int width, int height, List<Tile> tiles) {
    public TilePlan {
        tiles = List.copyOf(tiles);
        long covered = 0;
        for (Tile t : tiles) {
            if (!t.fitsIn(width, height)) {
                throw new IllegalArgumentException("tile " + t + " lies outside " + width + "x" + height);
            }
            covered += t.pixels();
        }
        if (covered != (long) width * height) {
            throw new IllegalArgumentException("tiles cover " + covered + " pixels of " + width + "x" + height);
        }
    }

    /** Square-ish tiles of at most {@code tileWidth x tileHeight} pixels; the last row and column may be smaller. */
    public static TilePlan grid(int width, int height, int tileWidth, int tileHeight) {
        List<Tile> tiles = new ArrayList<>();
        for (int y = 0; y < height; y += tileHeight) {
            for (int x = 0; x < width; x += tileWidth) {
                tiles.add(new Tile(x, y, Math.min(tileWidth, width - x), Math.min(tileHeight, height - y)));
            }
        }
        return new TilePlan(width, height, tiles);
    }

    /** {@code count} full-width row bands of (nearly) equal height; fewer when the image has fewer rows. */
    public static TilePlan bands(int width, int height, int count) {
        int n = Math.max(1, Math.min(count, height));
        List<Tile> tiles = new ArrayList<>();
        int y = 0;
        for (int i = 0; i < n; i++) {
            int next = (int) ((long) height * (i + 1) / n);
            tiles.add(new Tile(0, y, width, next - y));
            y = next;
        }
        return new TilePlan(width, height, tiles);
    }

    /** {@code count} full-height column slices, as ClusterRay cut its images. */
    public static TilePlan columns(int width, int height, int count) {
        int n = Math.max(1, Math.min(count, width));
        List<Tile> tiles = new ArrayList<>();
        int x = 0;
        for (int i = 0; i < n; i++) {
            int next = (int) ((long) width * (i + 1) / n);
            tiles.add(new Tile(x, 0, next - x, height));
            x = next;
        }
        return new TilePlan(width, height, tiles);
    }
}
