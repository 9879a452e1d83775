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
        List<Tile> tiles = new ArrayList<>();
        int[] cuts = split(height, count);
        for (int i = 0; i + 1 < cuts.length; i++) {
            tiles.add(new Tile(0, cuts[i], width, cuts[i + 1] - cuts[i]));
        }
        return new TilePlan(width, height, tiles);
    }

    /**
     * {@code count} full-width row bands of (nearly) equal <em>cost</em>: {@code rowCosts[y]} is the
     * measured render time of row {@code y}; each cut falls on the row where the running cost crosses the
     * next {@code 1/count} of the total. Falls back to {@link #bands} when the costs do not describe this
     * image (wrong length, no positive cost). Every band has at least one row.
     */
    public static TilePlan bandsByCost(int width, int height, int count, double[] rowCosts) {
        int n = Math.max(1, Math.min(count, height));
        double total = 0;
        if (rowCosts != null && rowCosts.length == height) {
            for (double c : rowCosts) {
                total += c >= 0 && Double.isFinite(c) ? c : 0;
            }
        }
        if (!(total > 0) || n == 1) {
            return bands(width, height, count);
        }
        double[] before = new double[height + 1]; // before[y]: cost of rows 0..y-1
        for (int y = 0; y < height; y++) {
            before[y + 1] = before[y] + cost(rowCosts, y);
        }
        int[] cuts = new int[n + 1];
        cuts[n] = height;
        int row = 0;
        for (int band = 1; band < n; band++) {
            double target = total * band / n;
            // the first row whose middle lies past the target starts the next band
            while (row < height && before[row] + cost(rowCosts, row) / 2 < target) {
                row++;
            }
            // at least one row per band, and one row left for each band after this one
            cuts[band] = Math.max(cuts[band - 1] + 1, Math.min(row, height - (n - band)));
            row = cuts[band];
        }
        List<Tile> tiles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tiles.add(new Tile(0, cuts[i], width, cuts[i + 1] - cuts[i]));
        }
        return new TilePlan(width, height, tiles);
    }

    private static double cost(double[] rowCosts, int row) {
        double c = rowCosts[row];
        return c >= 0 && Double.isFinite(c) ? c : 0;
    }

    /** {@code count} full-height column slices, as ClusterRay cut its images. */
    public static TilePlan columns(int width, int height, int count) {
        List<Tile> tiles = new ArrayList<>();
        int[] cuts = split(width, count);
        for (int i = 0; i + 1 < cuts.length; i++) {
            tiles.add(new Tile(cuts[i], 0, cuts[i + 1] - cuts[i], height));
        }
        return new TilePlan(width, height, tiles);
    }

    /** Boundaries 0 = c0 < c1 < ... = length of {@code count} (at most {@code length}) nearly equal parts. */
    private static int[] split(int length, int count) {
        int n = Math.max(1, Math.min(count, length));
        int[] cuts = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            cuts[i] = (int) ((long) length * i / n);
        }
        return cuts;
    }
}
