// SPDX-License-Identifier: EPL-2.0
package org.tessera.http;

import java.io.IOException;

/**
 * A request body is longer than the endpoint's limit (counted as the bytes arrive, whatever
 * {@code Content-Length} claims). The endpoint answers {@code 413 Content Too Large} and closes the
 * connection.
 */
public class RequestTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long limit;

    public RequestTooLargeException(long limit) {
        super("request body is larger than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    /** The limit that was exceeded, in bytes. */
    public long limit() {
        return limit;
    }
}
