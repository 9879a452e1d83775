// SPDX-License-Identifier: EPL-2.0
package org.tessera.node;

import java.io.IOException;
import java.net.URI;

import org.tessera.http.HttpEndpoint;
import org.tessera.internal.node.NodeRoutes;

/**
 * A running node server: the process side of a render cluster. Masters reach it over the protocol in
 * {@link org.tessera.cluster.core.NodeProtocol}. Several servers may run on one machine on different
 * ports to form a local cluster.
 */
public final class NodeServer implements AutoCloseable {
    private final HttpEndpoint endpoint;
    private final Runnable cleanup;

    private NodeServer(HttpEndpoint endpoint, Runnable cleanup) {
        this.endpoint = endpoint;
        this.cleanup = cleanup;
    }

    /**
     * Binds and starts a node server.
     *
     * @throws IllegalStateException when bound off loopback without a token
     * @throws IOException           when the port cannot be bound
     */
    public static NodeServer start(NodeSettings settings) throws IOException {
        return start(settings, java.util.List::of);
    }

    /**
     * Binds and starts a node server that renders tiles ({@code POST /v1/render}) with {@code engines}.
     *
     * @param engines the render engines installed now; asked on every request, since engines are
     *                services that come and go
     * @throws IllegalStateException when bound off loopback without a token
     * @throws IOException           when the port cannot be bound
     */
    public static NodeServer start(NodeSettings settings,
            java.util.function.Supplier<java.util.List<org.tessera.render.core.RenderEngine>> engines) throws IOException {
        Runnable[] closed = new Runnable[1];
        HttpEndpoint endpoint = NodeRoutes.start(settings, engines, closed);
        return new NodeServer(endpoint, closed[0]);
    }

    /** The bound port. */
    public int port() {
        return endpoint.port();
    }

    /** {@code http://host:port/}. */
    public URI uri() {
        return endpoint.uri("/");
    }

    /** Stops accepting requests and closes connections. */
    @Override
    public void close() {
        endpoint.close();
        if (cleanup != null) {
            cleanup.run();
        }
    }
}
