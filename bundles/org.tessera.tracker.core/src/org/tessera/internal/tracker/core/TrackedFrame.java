// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.util.ArrayList;
import java.util.List;

import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.FrameStatus;
import org.tessera.tracker.core.JobId;

/**
 * Mutable state of one frame; guarded by its project's monitor. {@link #snapshot()} gives the
 * immutable row the store writes.
 */
final class TrackedFrame {
    final int number;
    FrameStatus status = FrameStatus.WAITING;
    double renderFraction;
    double downloadFraction;
    JobId jobId;
    String imagePath;
    String error;
    long eventId;
    /** When rendering started / finished, ms since the epoch; 0 when not yet. */
    long renderStartedMs;
    long renderEndedMs;
    final List<LogLine> log = new ArrayList<>();
    /** The highest 10 % step logged in the current render / download attempt (0 = none yet). */
    int renderStepLogged;
    int downloadStepLogged;

    TrackedFrame(int number, JobId jobId) {
        this.number = number;
        this.jobId = jobId;
    }

    /** The fraction clients see: depends on the status. */
    double fraction() {
        return switch (status) {
            case RENDERING, ERROR -> renderFraction;
            case DOWNLOADING -> downloadFraction;
            case RENDERED, DONE -> 1.0;
            default -> 0.0;
        };
    }

    FrameInfo info() {
        return new FrameInfo(number, status, fraction());
    }

    Row snapshot(String project) {
        return new Row(project, number, status, renderFraction, downloadFraction, jobId, imagePath, error, eventId,
                renderStartedMs, renderEndedMs);
    }

    /** One line of a frame's log. */
    record LogLine(long timeMs, String message) {
    }

    /** What the store keeps of a frame. */
    record Row(String project, int number, FrameStatus status, double renderFraction, double downloadFraction,
            JobId jobId, String imagePath, String error, long eventId, long renderStartedMs, long renderEndedMs) {
    }
}
