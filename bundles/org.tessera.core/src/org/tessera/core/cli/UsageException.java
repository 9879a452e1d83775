// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.cli;

/** A command line that a verb cannot accept; the message says what is wrong. Exit code 2. */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
