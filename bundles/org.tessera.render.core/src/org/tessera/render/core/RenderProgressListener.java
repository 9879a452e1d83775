// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import org.osgi.annotation.versioning.ConsumerType;

/** Told after every tile and frame of a job; called from worker threads, so keep it quick. */
@ConsumerType
@FunctionalInterface
public interface RenderProgressListener {
    void progress(RenderProgress progress);

    /** A listener that ignores everything. */
    static RenderProgressListener none() {
        return p -> {
        };
    }
}
