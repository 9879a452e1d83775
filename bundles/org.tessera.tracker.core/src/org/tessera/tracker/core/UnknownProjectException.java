// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.core;

/** No project with this name is tracked (it was never started, or was removed). Fault code 1. */
public class UnknownProjectException extends TrackerException {
    private static final long serialVersionUID = 1L;
    public static final int FAULT_CODE = 1;

    public UnknownProjectException(String project) {
        super(FAULT_CODE, "no project named \"" + project + "\" is tracked (getAllProjects lists them)");
    }

    UnknownProjectException(String message, boolean raw) {
        super(FAULT_CODE, message);
    }

    /** Rebuilds the exception from a fault message (client side). */
    public static UnknownProjectException fromMessage(String message) {
        return new UnknownProjectException(message, true);
    }
}
