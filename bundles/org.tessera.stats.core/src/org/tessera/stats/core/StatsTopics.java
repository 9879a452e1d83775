// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

/**
 * EventAdmin topics the {@link StatsRecorder} listens to, and their payload keys. The renderer,
 * tracker and cluster bundles post them; this bundle only subscribes by name and depends on none of
 * them. Times are {@code org.tessera.core.TesseraEvents#TIMESTAMP} (ms since 1970) when present,
 * else the arrival time.
 */
public final class StatsTopics {
    /** {job, project, frame, node, tileX, tileY, tileWidth, tileHeight, millis}. */
    public static final String TILE_FINISHED = "org/tessera/render/tile/FINISHED";
    /** {job, project, layer, frame, node, renderMillis, memoryMB, cpuPercent, path}. */
    public static final String FRAME_FINISHED = "org/tessera/render/frame/FINISHED";
    /** {job, project, user, app, state}. */
    public static final String JOB_STARTED = "org/tessera/render/job/STARTED";
    /** {job, project, user, app, state}; state e.g. DONE, FAILED, CANCELLED. */
    public static final String JOB_FINISHED = "org/tessera/render/job/FINISHED";
    /** {node, cpuPercent, memoryUsedMB, memoryTotalMB}. */
    public static final String NODE_HEARTBEAT = "org/tessera/cluster/node/HEARTBEAT";

    public static final String JOB = "job";
    public static final String PROJECT = "project";
    public static final String USER = "user";
    public static final String APP = "app";
    public static final String STATE = "state";
    public static final String LAYER = "layer";
    public static final String FRAME = "frame";
    public static final String NODE = "node";
    public static final String MILLIS = "millis";
    public static final String RENDER_MILLIS = "renderMillis";
    public static final String MEMORY_MB = "memoryMB";
    public static final String CPU_PERCENT = "cpuPercent";
    public static final String MEMORY_USED_MB = "memoryUsedMB";
    public static final String MEMORY_TOTAL_MB = "memoryTotalMB";

    private StatsTopics() {
    }
}
