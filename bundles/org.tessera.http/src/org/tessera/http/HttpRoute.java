// SPDX-License-Identifier: EPL-2.0
package org.tessera.http;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers the requests for one path of an {@link HttpEndpoint}. Runs on one of the endpoint's pool
 * threads and may block (reading the body, waiting for storage). It answers with
 * {@link HttpExchange#respond}; returning without answering sends {@code 204 No Content}. An
 * exception that escapes becomes {@code 413} for {@link RequestTooLargeException} and {@code 500}
 * otherwise (the message is logged, not sent).
 */
@FunctionalInterface
@ConsumerType
public interface HttpRoute {
    void handle(HttpExchange exchange) throws Exception;
}
