// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.core;

/** No tracker answered, or it answered with something that is not XML-RPC (client side). Fault code -1. */
public class TrackerUnavailableException extends TrackerException {
    private static final long serialVersionUID = 1L;

    public TrackerUnavailableException(String message, Throwable cause) {
        super(-1, message, cause);
    }
}
