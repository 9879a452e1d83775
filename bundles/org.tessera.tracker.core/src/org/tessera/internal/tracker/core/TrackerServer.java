// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.net.URI;

import org.tessera.http.HttpEndpoint;
import org.tessera.tracker.core.RenderTracker;

/**
 * Serves a {@link RenderTracker} over XML-RPC at {@code /RPC2} on an {@link HttpEndpoint}: POST only,
 * {@code text/xml}; bodies over the limit get HTTP 413 before any parsing, everything else that
 * goes wrong is an XML-RPC fault.
 */
public final class TrackerServer implements AutoCloseable {
    /** The XML-RPC path, as Python's {@code ServerProxy} uses by default. */
    public static final String PATH = "/RPC2";
    /** Default largest request body: 1 MiB (a 10,000-frame project start is about 300 KiB). */
    public static final long DEFAULT_MAX_BODY = 1024 * 1024;

    private final HttpEndpoint endpoint;

    private TrackerServer(HttpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Starts serving.
     *
     * @param host bind address ({@code 127.0.0.1} unless clients are remote; then a token is required)
     * @param port TCP port, 0 for any free one
     * @param token access token (Bearer, or Basic password), or null on loopback
     */
    public static TrackerServer start(RenderTracker tracker, String host, int port, String token, long maxBodyBytes,
            int maxThreads) throws IOException {
        TrackerRpc rpc = new TrackerRpc(tracker);
        HttpEndpoint endpoint = HttpEndpoint.builder().name("tessera-tracker").host(host).port(port).accessToken(token)
                .maxRequestBytes(maxBodyBytes).maxThreads(maxThreads).route(PATH, exchange -> {
                    if (!exchange.method().equals("POST")) {
                        exchange.setHeader("Allow", "POST");
                        exchange.respondText(405, "XML-RPC endpoint: POST a methodCall to " + PATH + "\n");
                        return;
                    }
                    // read it all first: a body over the limit must be a 413, not a parse fault
                    byte[] answer = rpc.handle(new ByteArrayInputStream(exchange.body()));
                    exchange.respond(200, "text/xml; charset=utf-8", answer);
                }).start();
        return new TrackerServer(endpoint);
    }

    /** Starts on loopback with the defaults (1 MiB bodies, 32 threads). */
    public static TrackerServer start(RenderTracker tracker, int port) throws IOException {
        return start(tracker, "127.0.0.1", port, null, DEFAULT_MAX_BODY, 32);
    }

    public int port() {
        return endpoint.port();
    }

    /** {@code http://host:port/RPC2}. */
    public URI uri() {
        return endpoint.uri(PATH);
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
