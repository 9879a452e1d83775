// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/**
 * One unit of work handed to a {@link TileWorker}: render {@code tile} of {@code frame} of
 * {@code scene} with the engine named {@code engine}.
 */
public record TileTask(String jobId, String engine, RenderScene scene, int frame, Tile tile, RenderSettings settings) {
}
