// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

import org.tessera.render.core.MalformedTileException;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TileOverlay;
import org.tessera.render.core.TilePixels;

/**
 * One frame being assembled from tiles. A tile is pasted only once (a late duplicate from a worker
 * presumed dead is ignored); the frame is complete when every tile of its plan is in.
 */
final class FrameCanvas {
    private final int frame;
    private final int width;
    private final int height;
    private final short[] rgb;
    private final BitSet pasted;
    private final int tileCount;
    private final Map<String, Integer> tilesByNode = new HashMap<>();
    private final Map<Integer, String> tileNodes = new HashMap<>();
    private final long startedNanos = System.nanoTime();
    private final long startedCpuNanos = ProcessCpu.nanos();
    private int pastedCount;

    FrameCanvas(int frame, int width, int height, int tileCount) {
        this.frame = frame;
        this.width = width;
        this.height = height;
        this.tileCount = tileCount;
        this.rgb = new short[width * height * 3];
        this.pasted = new BitSet(tileCount);
    }

    int frame() {
        return frame;
    }

    /**
     * Pastes the pixels of tile number {@code index}.
     *
     * @return false when that tile was already pasted
     */
    synchronized boolean paste(int index, Tile tile, TilePixels pixels, String node) throws MalformedTileException {
        pixels.validate(tile);
        if (!tile.fitsIn(width, height)) {
            throw new MalformedTileException("tile " + tile + " lies outside the " + width + "x" + height + " frame");
        }
        if (pasted.get(index)) {
            return false;
        }
        pixels.pasteInto(rgb, width);
        pasted.set(index);
        pastedCount++;
        tilesByNode.merge(node, 1, Integer::sum);
        tileNodes.put(index, node);
        return true;
    }

    synchronized boolean complete() {
        return pastedCount == tileCount;
    }

    synchronized PngImage image() {
        if (!complete()) {
            throw new IllegalStateException("frame " + frame + " has " + pastedCount + " of " + tileCount + " tiles");
        }
        return new PngImage(width, height, rgb);
    }

    /**
     * The frame with the tile overlay ({@link TileOverlay}): each tile's border and the name of the node
     * that rendered it. {@code tiles} are the frame's tiles in plan order.
     */
    synchronized PngImage imageWithTiles(java.util.List<Tile> tiles) {
        PngImage plain = image();
        short[] copy = plain.rgb().clone();
        for (int i = 0; i < tiles.size(); i++) {
            TileOverlay.draw(copy, width, height, tiles.get(i), tileNodes.getOrDefault(i, "?"));
        }
        return new PngImage(width, height, copy);
    }

    /** The worker that rendered most tiles of this frame. */
    synchronized String mainNode() {
        return tilesByNode.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
    }

    long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Process CPU used since the frame started, in percent of one core over the frame's wall time. */
    double cpuPercent() {
        long wall = System.nanoTime() - startedNanos;
        long cpu = ProcessCpu.nanos() - startedCpuNanos;
        return wall <= 0 || cpu < 0 ? 0.0 : 100.0 * cpu / wall;
    }
}
