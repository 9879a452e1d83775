// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.core;

/** The project exists but has no such frame (frames are fixed when the project starts). Fault code 2. */
public class UnknownFrameException extends TrackerException {
    private static final long serialVersionUID = 1L;
    public static final int FAULT_CODE = 2;

    public UnknownFrameException(String project, int frame) {
        super(FAULT_CODE, "project \"" + project + "\" has no frame " + frame);
    }

    UnknownFrameException(String message) {
        super(FAULT_CODE, message);
    }

    /** Rebuilds the exception from a fault message (client side). */
    public static UnknownFrameException fromMessage(String message) {
        return new UnknownFrameException(message);
    }
}
