// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.util.List;

/**
 * One layer's render-time history ({@code _StatsRenderTime_layer}).
 *
 * @param name layer name (at most 50 UTF-8 bytes)
 * @param jobsAdded jobs ever added (Int16), not the number kept
 * @param frameTimes average frame time of each of the last {@link RenderTimeHistory#MAX_TIMES} jobs, in
 *        PS·seconds (UInt16), newest first
 */
public record RenderTimeLayer(String name, int jobsAdded, List<Integer> frameTimes) {
    public RenderTimeLayer {
        frameTimes = List.copyOf(frameTimes);
    }

    public int getFrameTime(int idx) {
        return frameTimes.get(idx);
    }

    public int timesCount() {
        return frameTimes.size();
    }
}
