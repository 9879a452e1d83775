// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import org.tessera.core.TesseraEvents;

/**
 * EventAdmin topics the tile renderer posts, and their payload keys. Every event also carries
 * {@link TesseraEvents#TIMESTAMP}. Other areas (tracker, stats, live tile view) subscribe to these.
 */
public final class RenderEvents {
    /** {@code org/tessera/render/*}: every render event. */
    public static final String ALL = TesseraEvents.ROOT + "/render/*";

    /** A job started. Keys: {@link #JOB}, {@link #PROJECT}, {@link #USER}, {@link #APP}, {@link #STATE} ("RUNNING"). */
    public static final String JOB_STARTED = "org/tessera/render/job/STARTED";
    /** A job ended. Keys: {@link #JOB}, {@link #PROJECT}, {@link #USER}, {@link #APP}, {@link #STATE} (a {@link JobState} name). */
    public static final String JOB_FINISHED = "org/tessera/render/job/FINISHED";
    /**
     * A tile was accepted into its frame. Keys: {@link #JOB}, {@link #PROJECT}, {@link #FRAME} (int),
     * {@link #NODE}, {@link #TILE_X}, {@link #TILE_Y}, {@link #TILE_WIDTH}, {@link #TILE_HEIGHT} (int pixels),
     * {@link #MILLIS} (long, render time of the tile).
     */
    public static final String TILE_FINISHED = "org/tessera/render/tile/FINISHED";
    /**
     * A frame file was written. Keys: {@link #JOB}, {@link #PROJECT}, {@link #LAYER} (String, "" for the
     * beauty pass), {@link #FRAME} (int), {@link #NODE} (String, the worker that rendered most of its tiles),
     * {@link #RENDER_MILLIS} (long, wall time from first tile handed out to file written),
     * {@link #MEMORY_MB} (long, heap in use), {@link #CPU_PERCENT} (double, process CPU over the frame's
     * wall time, 100 = one core busy), {@link #PATH} (String, absolute path of the file).
     */
    public static final String FRAME_FINISHED = "org/tessera/render/frame/FINISHED";

    public static final String JOB = "job";
    public static final String PROJECT = "project";
    public static final String USER = "user";
    /** The render application: the engine name. */
    public static final String APP = "app";
    public static final String STATE = "state";
    /** Error message on a FAILED job's FINISHED event (absent otherwise). */
    public static final String ERROR = "error";
    public static final String FRAME = "frame";
    public static final String NODE = "node";
    public static final String TILE_X = "tileX";
    public static final String TILE_Y = "tileY";
    public static final String TILE_WIDTH = "tileWidth";
    public static final String TILE_HEIGHT = "tileHeight";
    public static final String MILLIS = "millis";
    public static final String LAYER = "layer";
    public static final String RENDER_MILLIS = "renderMillis";
    public static final String MEMORY_MB = "memoryMB";
    public static final String CPU_PERCENT = "cpuPercent";
    public static final String PATH = "path";

    private RenderEvents() {
    }
}
