// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Renders a scene archive for a frame range into finished frame files. Each frame is cut into tiles
 * by its engine's {@link RenderEngine#planTiles plan}; a tile scheduler hands tiles out by pull to the
 * request's {@link TileWorker}s (in-process workers when none are given), re-queues tiles of failing
 * workers, and pastes accepted tiles into a frame canvas. A frame file is written only when all its
 * tiles are in, atomically (written aside, then renamed), so a frame file is never half-written.
 * Frames whose file exists are skipped, so re-running a cancelled or failed job resumes it.
 * Progress is posted as {@link RenderEvents} on EventAdmin.
 */
@ProviderType
public interface TileRenderer {

    /**
     * Starts a job and returns at once.
     *
     * @throws RenderException when no engine accepts the scene, the named engine is not installed, or
     *                         the scene file does not exist
     */
    RenderJob start(RenderRequest request, RenderProgressListener listener) throws RenderException;

    /** The engines registered now. */
    List<RenderEngine> engines();

    /** The engine of that name, if registered. */
    Optional<RenderEngine> engine(String name);
}
