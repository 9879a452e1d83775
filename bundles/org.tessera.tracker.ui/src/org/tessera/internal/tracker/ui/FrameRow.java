// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.ui;

import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.FrameStatus;
import org.tessera.tracker.core.JobId;

/**
 * One row of the frames table: the tracker's frame state plus its job id and image path.
 *
 * @param imagePath output image on the server, or null
 */
public record FrameRow(int frame, FrameStatus status, double fraction, JobId jobId, String imagePath) {
    static FrameRow of(FrameInfo f, JobId jobId, String imagePath) {
        return new FrameRow(f.frame(), f.status(), f.fraction(), jobId, imagePath);
    }

    /** 0-100 for the progress column. */
    public int percent() {
        return (int) Math.round(Math.max(0, Math.min(1, status.isComplete() ? 1 : fraction)) * 100);
    }
}
