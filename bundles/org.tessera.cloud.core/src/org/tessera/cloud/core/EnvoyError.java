// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

/**
 * Base of the Envoy client's typed errors; catch a subclass to act on one kind of failure. Messages
 * never contain credentials.
 */
public abstract class EnvoyError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected EnvoyError(String message, Throwable cause) {
        super(message, cause);
    }
}
