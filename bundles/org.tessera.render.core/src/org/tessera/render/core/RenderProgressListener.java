// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told after every tile and frame of a job; called from worker threads, so keep it quick. A live view
 * also implements {@link #tileFinished} to get each tile's pixels as it lands.
 */
@ConsumerType
@FunctionalInterface
public interface RenderProgressListener {
    void progress(RenderProgress progress);

    /**
     * A tile was accepted into frame {@code frame}, rendered by the worker {@code node} (a cluster
     * node's {@code host:port}, or {@code local-N}); called before the matching {@link #progress}.
     * The pixels are shared with the frame being assembled: read them, never change them. The default
     * does nothing.
     */
    default void tileFinished(int frame, TilePixels pixels, String node) {
    }

    /** A listener that ignores everything. */
    static RenderProgressListener none() {
        return p -> {
        };
    }
}
