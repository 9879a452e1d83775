// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.time.Duration;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** A running render job. */
@ProviderType
public interface RenderJob {

    /** Unique job id, also the {@code job} key of its events. */
    String id();

    /** Current state. */
    JobState state();

    /** Latest progress. */
    RenderProgress progress();

    /**
     * Asks the job to stop: no new tiles are handed out, tiles in flight are abandoned, unfinished frames
     * are not written. Returns at once; {@link #await()} returns when the workers have stopped.
     */
    void cancel();

    /**
     * A worker joins the running job (a node came up): it starts pulling tiles at once, mid-frame too.
     *
     * @throws IllegalArgumentException when a worker of that name is already in the job
     */
    void addWorker(TileWorker worker);

    /** A worker leaves: it takes no new tile; a tile it has in flight still counts if it arrives. */
    void removeWorker(String name);

    /**
     * Workers this job stopped using because their tiles kept failing (a node that died or answers errors),
     * in the order they joined, each with its last error; their tiles went to the others.
     *
     * @since 0.2
     */
    default Map<String, String> lostWorkers() {
        return Map.of();
    }

    /**
     * True when the job failed because every worker it had was lost: the service it renders on is
     * unavailable rather than the scene broken.
     *
     * @since 0.2
     */
    default boolean noWorkerLeft() {
        return false;
    }

    /** Waits for the job to end. */
    RenderResult await() throws InterruptedException;

    /** Waits at most {@code timeout}; {@code null} when the job is still running. */
    RenderResult await(Duration timeout) throws InterruptedException;
}
