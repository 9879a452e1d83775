// SPDX-License-Identifier: EPL-2.0
package org.tessera.http;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers the requests for one path of an {@link HttpEndpoint} once their whole body has arrived. The
 * endpoint collects the body without blocking a thread (a slow client costs a buffer, not a thread),
 * counting bytes as they arrive: a body over the endpoint's limit never reaches {@link #handle} but
 * {@link #tooLarge}, and is read and dropped (never buffered) so that the client gets to read the
 * answer; the connection is closed after it.
 * <p>
 * Requests for which {@link #handleInline} says so are handled on the I/O thread that read them,
 * which saves two thread hand-offs per request; the route must then answer within microseconds and
 * never wait for anything (a {@code write} to a local file is fine, an {@code fsync}, a network call
 * or work that grows with stored data is not), since the other connections of that I/O thread wait
 * meanwhile. All other requests are handled on a pool thread, where the route may block.
 */
@ConsumerType
public interface HttpBodyRoute {
    /**
     * Answers with {@link HttpExchange#respond}; returning without answering sends
     * {@code 204 No Content}, an exception {@code 500} (logged, not sent). Do not read
     * {@link HttpExchange#body()} here: the body is {@code body}.
     */
    void handle(HttpExchange exchange, byte[] body) throws Exception;

    /**
     * Answers a request whose body is longer than {@code limitBytes} (declared or counted). Called on an
     * I/O thread: must not block. Default: {@code 413} with a plain-text message.
     */
    default void tooLarge(HttpExchange exchange, long limitBytes) {
        exchange.respondText(413, "request body larger than " + limitBytes + " bytes\n");
    }

    /**
     * Whether to handle this request on the I/O thread (see above): only for requests whose handling is
     * short and bounded whatever the client sends. Called on the I/O thread; default: never.
     */
    default boolean handleInline(HttpExchange exchange, byte[] body) {
        return false;
    }
}
