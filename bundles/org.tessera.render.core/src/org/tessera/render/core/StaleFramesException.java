// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.util.List;

/**
 * Frame files of the job exist but were rendered with other settings (size, antialiasing, engine options,
 * animation clock, bit depth): skipping them would leave frames of two renders side by side, and
 * overwriting them silently would lose the earlier ones. The message names the frames, what differs and
 * what to do: render with {@link RenderRequest#force()} ({@code tessera render --force}) or into another
 * output.
 */
public class StaleFramesException extends RenderException {
    private static final long serialVersionUID = 1L;

    private final List<Integer> frames;

    public StaleFramesException(String message, List<Integer> frames) {
        super(message);
        this.frames = List.copyOf(frames);
    }

    /** The frames whose files record other settings. */
    public List<Integer> frames() {
        return frames;
    }
}
