// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

/**
 * Envoy could not be reached (transport failure: start Envoy and retry) or answered with a server
 * error (5xx) or an answer the client cannot read.
 */
public class APIError extends EnvoyError {
    private static final long serialVersionUID = 1L;
    private final int status;

    public APIError(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when no answer came (transport failure). */
    public int status() {
        return status;
    }
}
