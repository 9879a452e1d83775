// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A place tiles can be rendered: an in-process worker (a thread of this JVM calling a
 * {@link RenderEngine}) or, with the cluster, a remote node server. The tile scheduler pulls work for
 * each worker, keeping up to {@link #capacity()} tiles in flight on it, so faster workers take more
 * tiles; a worker that fails 3 tiles of a job is blocklisted for the rest of that job, and its tiles
 * go to other workers.
 */
@ConsumerType
public interface TileWorker {

    /** Name shown in events and progress ({@code "local-1"}, {@code "pc3:7070"}). */
    String name();

    /** Tiles this worker may render at once; at least 1. */
    int capacity();

    /**
     * Renders one tile, blocking until it is done. A remote worker enforces its own timeout and throws
     * when it passes. The answer is validated before use, so a wrong-sized result only costs a retry.
     *
     * @throws SceneException when the scene itself is broken (fails the job, no retry)
     * @throws Exception      any other failure: the tile is handed to another worker
     */
    TilePixels render(TileTask task) throws Exception;
}
