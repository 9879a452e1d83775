// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

/** The e-mail address or access key was refused (HTTP 401), or no user is logged in. */
public class AuthenticationError extends EnvoyError {
    private static final long serialVersionUID = 1L;

    public AuthenticationError(String message) {
        super(message, null);
    }
}
