// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.core;

/**
 * The render tracker answered, but refused the access token (HTTP 401 or 403): the tracker runs, the
 * caller must give it the token it was started with.
 */
public class TrackerAuthenticationException extends TrackerUnavailableException {
    private static final long serialVersionUID = 1L;

    /** A refusal with the tracker's message. */
    public TrackerAuthenticationException(String message) {
        super(message, null);
    }
}
