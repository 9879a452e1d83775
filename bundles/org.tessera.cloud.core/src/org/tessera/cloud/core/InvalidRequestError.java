// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

import java.util.List;

/**
 * The request was refused as invalid: a 404 for an unknown path or project, a 400 for a submission
 * whose jobs are wrong (with the service's list of errors), or a project or job the client itself
 * refuses (a file outside the project root, a dependency cycle).
 */
public class InvalidRequestError extends EnvoyError {
    private static final long serialVersionUID = 1L;
    private final List<String> errors;

    public InvalidRequestError(String message) {
        this(message, List.of(message));
    }

    public InvalidRequestError(String message, List<String> errors) {
        super(message, null);
        this.errors = List.copyOf(errors);
    }

    /** The individual problems, one message each (the server's list for a refused submission). */
    public List<String> errors() {
        return errors;
    }
}
