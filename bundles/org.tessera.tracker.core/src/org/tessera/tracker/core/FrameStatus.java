// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.core;

import java.util.List;

/**
 * The state of one frame of a render project. <b>The order is part of the wire protocol</b>:
 * {@code getAllFramesInfo} and {@code getChangedFrames} send {@link #ordinal()}, and clients index
 * {@link #values()} with it. New states may only be appended.
 */
public enum FrameStatus {
    /** 0: known to the project, nothing has happened yet. */
    WAITING,
    /** 1: its IFD (scene description) is being generated. */
    GENERATING_IFD,
    /** 2: its IFD is ready; waiting for a render job. */
    IFD_READY,
    /** 3: being rendered; the fraction is the render fraction. */
    RENDERING,
    /** 4: the render finished (fraction 1.0); no download has started. Counts as done. */
    RENDERED,
    /** 5: the image is being downloaded; the fraction is the download fraction. */
    DOWNLOADING,
    /** 6: rendered and downloaded. */
    DONE,
    /** 7: failed; the frame log and {@code setFrameError}'s message say why. */
    ERROR;

    private static final List<FrameStatus> VALUES = List.of(values());

    /** The status with this wire index. */
    public static FrameStatus ofIndex(int index) {
        if (index < 0 || index >= VALUES.size()) {
            throw new IllegalArgumentException("no frame status with index " + index);
        }
        return VALUES.get(index);
    }

    /** Whether the frame's image is complete ({@link #RENDERED} or {@link #DONE}). */
    public boolean isComplete() {
        return this == RENDERED || this == DONE;
    }

    /** Whether nothing more is expected to happen to the frame (complete or {@link #ERROR}). */
    public boolean isFinal() {
        return isComplete() || this == ERROR;
    }

    /** Lower-case words for tables, e.g. {@code "generating ifd"}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
