// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.core;

import java.util.List;

/**
 * The answer of {@link RenderTracker#getChangedFrames}: the frames that changed after the event id
 * the caller passed, sorted by frame number, and the event id to pass next time. Over XML-RPC: a
 * struct {@code {"changes": [[frame, status index, fraction], ...], "event_id": n}}.
 */
public record FrameChanges(List<FrameInfo> changes, long eventId) {
    public FrameChanges {
        changes = List.copyOf(changes);
    }
}
