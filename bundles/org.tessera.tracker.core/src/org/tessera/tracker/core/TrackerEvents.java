// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.core;

import org.tessera.core.TesseraEvents;

/**
 * EventAdmin topics the tracker posts after every change has been stored. Every event carries
 * {@link #PROJECT}, {@link #EVENT_ID} and {@link TesseraEvents#TIMESTAMP}; frame events also carry
 * {@link #FRAME}, {@link #STATUS}, {@link #STATUS_INDEX} and {@link #FRAME_FRACTION}.
 */
public final class TrackerEvents {
    /** Root of the tracker's topics. */
    public static final String ROOT = TesseraEvents.topic("tracker", "");
    /** Every tracker topic, for subscriptions. */
    public static final String ALL = ROOT + "*";
    /** A project was started (or restarted, replacing the old one). Also: {@link #FRAME_COUNT}. */
    public static final String PROJECT_STARTED = ROOT + "PROJECT_STARTED";
    /** A project was removed. */
    public static final String PROJECT_REMOVED = ROOT + "PROJECT_REMOVED";
    /** {@code setProjectError}: every frame failed. Also: {@link #MESSAGE}. */
    public static final String PROJECT_ERROR = ROOT + "PROJECT_ERROR";
    /** A frame's status or fraction changed. Also {@link #MESSAGE} when it failed. */
    public static final String FRAME_CHANGED = ROOT + "FRAME_CHANGED";

    /** String: project name. */
    public static final String PROJECT = "project";
    /** Integer: frame number. */
    public static final String FRAME = "frame";
    /** String: {@link FrameStatus#name()}. */
    public static final String STATUS = "status";
    /** Integer: {@link FrameStatus#ordinal()}, as sent over XML-RPC. */
    public static final String STATUS_INDEX = "statusIndex";
    /** Double: fraction complete, 0.0–1.0. */
    public static final String FRAME_FRACTION = "fraction";
    /** Long: the tracker event id of this change (see {@link RenderTracker#getChangedFrames}). */
    public static final String EVENT_ID = "eventId";
    /** String: an error message. */
    public static final String MESSAGE = "message";
    /** Integer: number of frames of a started project. */
    public static final String FRAME_COUNT = "frameCount";

    private TrackerEvents() {
    }
}
