// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.util.List;

/**
 * Stats of one rendered frame ({@code _frameStat}).
 *
 * @param logFileStart when the render log was started, seconds since 1970 (UInt32, {@code _rrTime32})
 * @param logFileStartFrame first frame of that render log
 * @param renderTime5Sec render time in units of 5 seconds (UInt16)
 * @param frameNrJob frame number in the job (UInt16)
 * @param client node that rendered it (at most 50 UTF-8 bytes)
 * @param averageValue number of frames whose values were averaged into this one (UInt8; 1 = exact)
 * @param parts {@link FrameStats#PARTS} parts
 */
public record FrameStat(long logFileStart, int logFileStartFrame, int renderTime5Sec, int frameNrJob, String client,
        int averageValue, List<FramePart> parts) {

    public FrameStat {
        parts = List.copyOf(parts);
        if (parts.size() != FrameStats.PARTS) {
            throw new IllegalArgumentException("a frame has " + FrameStats.PARTS + " parts, not " + parts.size());
        }
    }

    /** The render time in seconds (a multiple of 5). */
    public int renderSeconds() {
        return renderTime5Sec * 5;
    }

    public int partMax() {
        return parts.size();
    }
}
