// SPDX-License-Identifier: EPL-2.0
package org.tessera.http;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An embedded HTTP/1.1 server with a few {@link HttpRoute}s, for Tessera's own servers.
 * <ul>
 * <li><b>Bind</b>: host {@code 127.0.0.1} by default; port {@code 0} picks a free port, which
 * {@link #port()} reports once started.</li>
 * <li><b>Access token</b>: when set, every request must carry it, as {@code Authorization: Bearer
 * <token>} or as the password of HTTP Basic (any user name); otherwise {@code 401}. Binding to an
 * address that is not loopback without a token is refused at {@link Builder#start()}.</li>
 * <li><b>Body limit</b>: bodies longer than {@link Builder#maxRequestBytes} bytes (counted as they
 * stream in) get {@code 413} (an {@link HttpBodyRoute} may answer otherwise); a {@code Content-Length}
 * over the limit is refused before reading.</li>
 * <li><b>Threads</b>: {@link Builder#selectors} I/O threads read requests and answer 401/404 themselves;
 * {@link HttpRoute}s run on a bounded pool ({@link Builder#maxThreads}) and may block;
 * {@link HttpBodyRoute}s get their body collected without a thread waiting for it and small bodies
 * handled on the I/O thread (no hand-off), larger ones on the pool.</li>
 * <li><b>Connections</b>: with {@link Builder#maxConnections} set, requests on connections beyond the cap
 * get {@code 503} and the connection is closed (slow clients cannot pile up connections).</li>
 * <li><b>Errors</b>: malformed requests get Jetty's status (400, 431 ...) with a plain-text body.</li>
 * <li><b>Stop</b>: {@link #close()} stops accepting, lets requests in flight finish for up to
 * {@link Builder#stopTimeoutMillis} ms, then closes connections.</li>
 * </ul>
 * Unknown paths get {@code 404}. Credentials are never logged.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(HttpEndpoint.class.getName());

    /** Bytes of an oversized body read and dropped before answering 413. */
    private static final long DISCARD_CAP = 64L * 1024 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final String host;

    private HttpEndpoint(Server server, ServerConnector connector, String host) {
        this.server = server;
        this.connector = connector;
        this.host = host;
    }

    /** A builder with the defaults: 127.0.0.1, ephemeral port, no token, 1 MiB bodies, 32 threads. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bound port (the real one when the builder asked for 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The host this endpoint is bound to, as configured. */
    public String host() {
        return host;
    }

    /** {@code http://host:port/} plus the given path, e.g. {@code uri("/RPC2")}. */
    public URI uri(String path) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        if (h.equals("0.0.0.0") || h.equals("[::]")) {
            h = "127.0.0.1";
        }
        return URI.create("http://" + h + ":" + port() + path);
    }

    /** Whether the server is running. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** Graceful stop: no new requests, requests in flight may finish within the stop timeout. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOGGER.log(Level.WARNING, "stopping HTTP endpoint on port " + port() + ": " + e);
        }
    }

    /**
     * Whether an {@code Authorization} header presents {@code token}: as {@code Bearer <token>}, or as
     * the password of HTTP Basic (any user name). Compared in constant time; null header: false.
     *
     * @since 0.3
     */
    public static boolean authorizes(byte[] token, String header) {
        if (header == null) {
            return false;
        }
        String presented = null;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = header.substring(7).trim();
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                presented = colon >= 0 ? decoded.substring(colon + 1) : decoded;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a host name or literal address is a loopback address. */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Configures and starts an {@link HttpEndpoint}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String accessToken;
        private long maxRequestBytes = 1024 * 1024;
        private int maxThreads = 32;
        private long stopTimeoutMillis = 5000;
        private long idleTimeoutMillis = 30_000;
        private int selectors = 1;
        private String name = "tessera-http";
        private int inputBufferSize;
        private int maxConnections;
        private final Map<String, Object> routes = new LinkedHashMap<>();

        private Builder() {
        }

        /** Address to bind; default {@code 127.0.0.1}. Anything but loopback requires a token. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** TCP port, 0 for any free port (default). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, not " + port);
            }
            this.port = port;
            return this;
        }

        /** Token every request must present; null or blank for none (loopback only). */
        public Builder accessToken(String token) {
            this.accessToken = token == null || token.isBlank() ? null : token;
            return this;
        }

        /** Largest accepted request body in bytes (default 1 MiB). */
        public Builder maxRequestBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxRequestBytes must be positive");
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /** Size of the bounded request thread pool (default 32, at least 8). */
        public Builder maxThreads(int threads) {
            this.maxThreads = Math.max(8, threads);
            return this;
        }

        /** How long {@link HttpEndpoint#close()} waits for requests in flight, in ms (default 5000). */
        public Builder stopTimeoutMillis(long millis) {
            this.stopTimeoutMillis = Math.max(0, millis);
            return this;
        }

        /** Idle connection timeout in ms (default 30000). */
        public Builder idleTimeoutMillis(long millis) {
            this.idleTimeoutMillis = Math.max(1000, millis);
            return this;
        }

        /**
         * Size in bytes of each connection's network read buffer (default: Jetty's 8 KiB). Endpoints
         * that receive large bodies (file uploads) stream them with fewer system calls and wake-ups
         * when this is larger, e.g. 1 MiB; buffers are pooled, one per connection that is reading.
         */
        public Builder inputBufferSize(int bytes) {
            if (bytes < 1024 || bytes > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("inputBufferSize must be 1 KiB..64 MiB, not " + bytes);
            }
            this.inputBufferSize = bytes;
            return this;
        }

        /**
         * Number of I/O (selector) threads, default 1. {@link HttpBodyRoute}s with small bodies run on
         * them, so a server of such routes may want one per core.
         */
        public Builder selectors(int selectors) {
            if (selectors < 1 || selectors > 64) {
                throw new IllegalArgumentException("selectors must be 1-64, not " + selectors);
            }
            this.selectors = selectors;
            return this;
        }

        /**
         * Connections served at once; requests on connections beyond it get {@code 503} and their
         * connection is closed. 0 (default): no cap.
         *
         * @since 0.4
         */
        public Builder maxConnections(int connections) {
            if (connections < 0) {
                throw new IllegalArgumentException("maxConnections must be 0 (no cap) or more, not " + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        /** Name for threads and log lines. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Answers requests whose path is exactly {@code path} (e.g. {@code /RPC2}); a path ending in
         * {@code /*} answers every path under it (e.g. {@code /project-status/*}), the longest such
         * prefix winning.
         */
        public Builder route(String path, HttpRoute route) {
            routes.put(Objects.requireNonNull(path, "path"), Objects.requireNonNull(route, "route"));
            return this;
        }

        /**
         * Like {@link #route(String, HttpRoute)}, for a route that gets the whole body collected without
         * blocking a thread, and small bodies handled on the I/O thread (see {@link HttpBodyRoute}).
         */
        public Builder bodyRoute(String path, HttpBodyRoute route) {
            routes.put(Objects.requireNonNull(path, "path"), Objects.requireNonNull(route, "route"));
            return this;
        }

        /**
         * Binds and starts the server.
         *
         * @throws IllegalStateException when bound off loopback without an access token
         * @throws IOException when the port cannot be bound
         */
        public HttpEndpoint start() throws IOException {
            if (accessToken == null && !isLoopback(host)) {
                throw new IllegalStateException("binding " + name + " to " + host
                        + " (not a loopback address) requires an access token");
            }
            QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(4, maxThreads));
            pool.setName(name);
            // the default pool keeps buffers up to 64 KiB; larger read buffers must be pooled too, or
            // every read would allocate a fresh direct buffer
            Server server = inputBufferSize > 65536
                    ? new Server(pool, null, new ArrayByteBufferPool(0, 4096, Math.max(inputBufferSize, 65536)))
                    : new Server(pool);
            HttpConfiguration config = new HttpConfiguration();
            config.setSendServerVersion(false);
            HttpConnectionFactory http = new HttpConnectionFactory(config);
            if (inputBufferSize > 0) {
                http.setInputBufferSize(inputBufferSize);
            }
            ServerConnector connector = new ServerConnector(server, 1, selectors, http);
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(idleTimeoutMillis);
            server.addConnector(connector);
            java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
            if (maxConnections > 0) {
                connector.addEventListener(new org.eclipse.jetty.io.Connection.Listener() {
                    @Override
                    public void onOpened(org.eclipse.jetty.io.Connection connection) {
                        open.incrementAndGet();
                    }

                    @Override
                    public void onClosed(org.eclipse.jetty.io.Connection connection) {
                        open.decrementAndGet();
                    }
                });
            }
            // Jetty's own answers to malformed requests (400, 431 ...): plain text, not an HTML page
            org.eclipse.jetty.server.handler.ErrorHandler errors = new org.eclipse.jetty.server.handler.ErrorHandler();
            errors.setDefaultResponseMimeType("text/plain");
            errors.setShowStacks(false);
            server.setErrorHandler(errors);
            server.setHandler(new GracefulHandler(new RoutingHandler(Map.copyOf(routes), accessToken, maxRequestBytes, pool,
                    maxConnections, open)));
            server.setStopTimeout(stopTimeoutMillis);
            server.setStopAtShutdown(false);
            try {
                server.start();
            } catch (Exception e) {
                try {
                    server.stop();
                } catch (Exception ignored) {
                    // already failing
                }
                throw new IOException("cannot start " + name + " on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            return new HttpEndpoint(server, connector, host);
        }
    }

    /**
     * Authentication, body-size pre-check, path routing, error mapping. Runs on the I/O thread
     * ({@code NON_BLOCKING}): it answers 401/404 itself, hands {@link HttpRoute}s (which may block)
     * to the pool, and collects the body of {@link HttpBodyRoute}s with non-blocking reads.
     */
    private static final class RoutingHandler extends Handler.Abstract {
        private final Map<String, Object> routes;
        private final byte[] token;
        private final long maxRequestBytes;
        private final Executor pool;
        private final int maxConnections;
        private final java.util.concurrent.atomic.AtomicInteger open;

        RoutingHandler(Map<String, Object> routes, String token, long maxRequestBytes, Executor pool, int maxConnections,
                java.util.concurrent.atomic.AtomicInteger open) {
            super(InvocationType.NON_BLOCKING);
            this.maxConnections = maxConnections;
            this.open = open;
            this.routes = routes;
            this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
            this.maxRequestBytes = maxRequestBytes;
            this.pool = pool;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            HttpExchange exchange = new HttpExchange(request, response, callback, maxRequestBytes);
            if (maxConnections > 0 && open.get() > maxConnections) {
                exchange.setHeader(HttpHeader.CONNECTION.asString(), "close");
                exchange.respondText(HttpStatus.SERVICE_UNAVAILABLE_503, "too many connections (more than " + maxConnections
                        + "); try again later\n");
                return true;
            }
            if (token != null && !authorized(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                exchange.setHeader(HttpHeader.WWW_AUTHENTICATE.asString(), "Bearer realm=\"tessera\", Basic realm=\"tessera\"");
                // the body is not read: the connection cannot be reused
                exchange.setHeader(HttpHeader.CONNECTION.asString(), "close");
                exchange.respondText(HttpStatus.UNAUTHORIZED_401, "access token required\n");
                return true;
            }
            Object route = routes.get(exchange.path());
            if (route == null) {
                route = prefixRoute(exchange.path());
            }
            if (route == null) {
                exchange.setHeader(HttpHeader.CONNECTION.asString(), "close");
                exchange.respondText(HttpStatus.NOT_FOUND_404, "no such path: " + exchange.path() + "\n");
                return true;
            }
            if (route instanceof HttpBodyRoute bodyRoute) {
                new BodyCollector(exchange, bodyRoute).run();
                return true;
            }
            HttpRoute blocking = (HttpRoute) route;
            pool.execute(() -> {
                if (request.getLength() > maxRequestBytes) {
                    tooLarge(exchange);
                    return;
                }
                runBlocking(blocking, exchange);
            });
            return true;
        }

        private void runBlocking(HttpRoute route, HttpExchange exchange) {
            try {
                route.handle(exchange);
                if (!exchange.responded()) {
                    exchange.respond(HttpStatus.NO_CONTENT_204, null, new byte[0]);
                }
            } catch (RequestTooLargeException e) {
                if (!exchange.responded()) {
                    tooLarge(exchange);
                }
            } catch (Exception | LinkageError e) {
                failed(exchange, e);
            }
        }

        private static void failed(HttpExchange exchange, Throwable e) {
            LOGGER.log(Level.WARNING, "request " + exchange.method() + " " + exchange.path() + " failed", e);
            if (!exchange.responded()) {
                exchange.respondText(HttpStatus.INTERNAL_SERVER_ERROR_500, "internal error\n");
            }
        }

        /**
         * Collects a body with non-blocking reads ({@link Request#read()}, {@link Request#demand}): runs
         * on the I/O thread whenever content arrives. Over the limit it answers through
         * {@link HttpBodyRoute#tooLarge} at once, then reads and drops the rest (up to a cap) before
         * the exchange completes, so the client can finish sending and read the answer.
         */
        private final class BodyCollector implements Runnable, Invocable {
            private final HttpExchange exchange;
            private final HttpBodyRoute route;
            private byte[] body;
            private int size;
            /** Dropping an oversized body: bytes dropped so far, or -1 while collecting. */
            private long dropped = -1;
            private boolean answered;
            private boolean drained;
            private boolean completed;

            BodyCollector(HttpExchange exchange, HttpBodyRoute route) {
                this.exchange = exchange;
                this.route = route;
                long declared = exchange.request().getLength();
                this.body = new byte[declared >= 0 && declared <= maxRequestBytes ? (int) declared : 1024];
            }

            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }

            @Override
            public void run() {
                Request request = exchange.request();
                if (dropped < 0 && request.getLength() > maxRequestBytes) {
                    startDropping();
                }
                while (true) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        chunk.release();
                        if (chunk.getFailure() instanceof java.util.concurrent.TimeoutException && dropped < 0
                                && !exchange.responded()) {
                            // stalled in the middle of its body: 408, then the connection closes
                            exchange.setHeader(HttpHeader.CONNECTION.asString(), "close");
                            exchange.respondText(HttpStatus.REQUEST_TIMEOUT_408,
                                    "the request body did not arrive within the idle timeout\n");
                            return;
                        }
                        // the client went away: nothing to answer
                        complete(chunk.getFailure());
                        return;
                    }
                    ByteBuffer b = chunk.getByteBuffer();
                    int n = b.remaining();
                    if (dropped >= 0) {
                        dropped += n;
                    } else if ((long) size + n > maxRequestBytes) {
                        body = null;
                        startDropping();
                        dropped = (long) size + n;
                    } else {
                        if (size + n > body.length) {
                            body = Arrays.copyOf(body, (int) Math.min(maxRequestBytes, Math.max(size + n, 2L * body.length)));
                        }
                        b.get(body, size, n);
                        size += n;
                    }
                    boolean last = chunk.isLast();
                    chunk.release();
                    if (dropped >= 0 && (last || dropped > Math.max(DISCARD_CAP, 4 * maxRequestBytes))) {
                        // dropped all of it, or enough: the connection is closed after the answer anyway
                        drained();
                        return;
                    }
                    if (last) {
                        if (dropped < 0) {
                            handle();
                        }
                        return;
                    }
                }
            }

            private void handle() {
                byte[] whole = size == body.length ? body : Arrays.copyOf(body, size);
                boolean inline;
                try {
                    inline = route.handleInline(exchange, whole);
                } catch (RuntimeException e) {
                    inline = false;
                }
                if (inline) {
                    runBody(whole);
                } else {
                    pool.execute(() -> runBody(whole));
                }
            }

            private void runBody(byte[] whole) {
                try {
                    route.handle(exchange, whole);
                    if (!exchange.responded()) {
                        exchange.respond(HttpStatus.NO_CONTENT_204, null, new byte[0]);
                    }
                } catch (Exception | LinkageError e) {
                    failed(exchange, e);
                }
            }

            /** Answers now, completing the exchange only once the answer is sent and the body dropped. */
            private void startDropping() {
                dropped = 0;
                body = null;
                exchange.completeWith(Callback.from(() -> {
                    boolean complete;
                    synchronized (this) {
                        answered = true;
                        complete = drained;
                    }
                    if (complete) {
                        complete(null);
                    }
                }, this::complete));
                exchange.setHeader(HttpHeader.CONNECTION.asString(), "close");
                try {
                    route.tooLarge(exchange, maxRequestBytes);
                } catch (RuntimeException | LinkageError e) {
                    LOGGER.log(Level.WARNING, "answering an oversized request to " + exchange.path() + " failed", e);
                }
                if (!exchange.responded()) {
                    exchange.respondText(HttpStatus.PAYLOAD_TOO_LARGE_413, "request body larger than " + maxRequestBytes
                            + " bytes\n");
                }
            }

            private void drained() {
                boolean complete;
                synchronized (this) {
                    drained = true;
                    complete = answered;
                }
                if (complete) {
                    complete(null);
                }
            }

            /** Completes the exchange once: succeeded, or failed with {@code failure}. */
            private void complete(Throwable failure) {
                synchronized (this) {
                    if (completed) {
                        return;
                    }
                    completed = true;
                }
                if (failure == null) {
                    exchange.callback().succeeded();
                } else {
                    exchange.callback().failed(failure);
                }
            }
        }

        /** The route registered as {@code /prefix/*} with the longest prefix of {@code path}, or null. */
        private Object prefixRoute(String path) {
            Object best = null;
            int bestLength = -1;
            for (Map.Entry<String, Object> e : routes.entrySet()) {
                String key = e.getKey();
                if (key.endsWith("/*") && path.startsWith(key.substring(0, key.length() - 1))
                        && path.length() >= key.length() && key.length() > bestLength) {
                    best = e.getValue();
                    bestLength = key.length();
                }
            }
            return best;
        }

        private void tooLarge(HttpExchange exchange) {
            discardRest(exchange);
            exchange.setHeader(HttpHeader.CONNECTION.asString(), "close");
            exchange.respondText(HttpStatus.PAYLOAD_TOO_LARGE_413,
                    "request body larger than " + maxRequestBytes + " bytes\n");
        }

        /**
         * Reads and drops what the client is still sending (up to a cap), so it gets to read the 413
         * instead of a connection reset in the middle of its upload.
         */
        private void discardRest(HttpExchange exchange) {
            long cap = Math.max(DISCARD_CAP, 4 * maxRequestBytes);
            byte[] buffer = new byte[16384];
            long dropped = 0;
            try (java.io.InputStream in = org.eclipse.jetty.io.Content.Source.asInputStream(exchange.request())) {
                int n;
                while (dropped < cap && (n = in.read(buffer)) > 0) {
                    dropped += n;
                }
            } catch (IOException | RuntimeException e) {
                // the connection is closed after the 413 anyway
            }
        }

        private boolean authorized(String header) {
            return authorizes(token, header);
        }
    }
}
