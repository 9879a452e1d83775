// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.util.List;

/** A refusal with an HTTP status and messages; the gateway turns it into a JSON answer. */
final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final List<String> errors;

    Refusal(int status, String message) {
        this(status, List.of(message));
    }

    Refusal(int status, List<String> errors) {
        super(String.join("; ", errors));
        this.status = status;
        this.errors = List.copyOf(errors);
    }
}
