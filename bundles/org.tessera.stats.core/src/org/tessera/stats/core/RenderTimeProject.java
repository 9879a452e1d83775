// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.util.List;

/**
 * One project's render-time history ({@code _StatsRenderTime_project}).
 *
 * @param name project name (at most 50 UTF-8 bytes)
 * @param lastUsed last time a job was added, seconds since 1970 ({@code rrTime})
 * @param layers its layers
 */
public record RenderTimeProject(String name, long lastUsed, List<RenderTimeLayer> layers) {
    public RenderTimeProject {
        layers = List.copyOf(layers);
    }

    public RenderTimeLayer getLayer(int idx) {
        return layers.get(idx);
    }

    public int layerCount() {
        return layers.size();
    }
}
