// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/**
 * A snapshot of a running job: tiles and frames done out of their totals (frames skipped because
 * they already existed count as done), and milliseconds since the job started.
 */
public record RenderProgress(String jobId, int tilesDone, int tilesTotal, int framesDone, int framesTotal,
        long elapsedMillis) {

    /** Fraction of tiles done, 0..1. */
    public double fraction() {
        return tilesTotal == 0 ? 1.0 : (double) tilesDone / tilesTotal;
    }

    /** Estimated milliseconds left from the rate so far, or -1 before the first tile. */
    public long etaMillis() {
        if (tilesDone == 0) {
            return -1;
        }
        return (long) (elapsedMillis * (double) (tilesTotal - tilesDone) / tilesDone);
    }
}
