// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.tessera.http.HttpBodyRoute;
import org.tessera.http.HttpEndpoint;
import org.tessera.http.HttpExchange;
import org.tessera.tracker.core.RenderTracker;

/**
 * Serves a {@link RenderTracker} over XML-RPC at {@code /RPC2} on the shared Jetty {@link HttpEndpoint}
 * (HTTP/1.1 keep-alive and pipelining, HTTP/1.0, chunked bodies, {@code Expect: 100-continue}, the token,
 * idle timeouts and the connection cap are the endpoint's). POST only, {@code text/xml}; every other
 * method gets 405, a POST without {@code Content-Length} or {@code Transfer-Encoding} 411. Everything
 * that goes wrong in a call is an XML-RPC fault, a body over the limit too (fault
 * {@link XmlRpcFault#REQUEST_TOO_LARGE}, sent before the rest of the body is read and dropped, never
 * parsed or buffered).
 * <p>
 * The body is collected by the endpoint without a thread waiting for it ({@link HttpBodyRoute}). Calls of
 * small, bounded cost ({@link #INLINE_METHODS}: the frame updates and other one-frame calls, and
 * {@code getChangedFrames} of a project of at most {@link #INLINE_FRAMES} frames) are answered on the I/O
 * thread that read them when the tracker acknowledges a change with a journal {@code write} alone (the
 * default): no thread hand-off per call; their journal records join the group commit of whatever else is
 * queued. Everything else, and every call with fsync or a database commit per change, runs on pool
 * threads, where waiting or walking large projects does not hold up other connections.
 */
public final class TrackerServer implements AutoCloseable {
    /** The XML-RPC path, as Python's {@code ServerProxy} uses by default. */
    public static final String PATH = "/RPC2";
    /** Default largest request body: 1 MiB (a 10,000-frame project start is about 300 KiB). */
    public static final long DEFAULT_MAX_BODY = 1024 * 1024;
    /** Default number of connections served at once; beyond it new requests get 503. */
    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    /** Bodies up to this size may be answered on the I/O thread. */
    static final int INLINE_BODY_BYTES = 16 * 1024;
    /** {@code getChangedFrames} of projects up to this many frames is answered on the I/O thread. */
    static final int INLINE_FRAMES = 4096;
    private static final String CONTENT_TYPE = "text/xml; charset=utf-8";
    /**
     * Calls whose cost is small and bounded whatever is stored (one frame, one counter): these may run
     * on the I/O thread. Calls that walk a project's frames or the project list (getAllFramesInfo,
     * estimates, project starts and errors ...) run on the pool, so that a client asking for a
     * 100,000-frame project holds up no other connection.
     */
    static final Set<String> INLINE_METHODS = Set.of("setFrameRenderFraction", "setFrameDownloadFraction",
            "startedFrameRender", "startedGeneratingFrameIFD", "endedGeneratingFrameIFD", "setFrameError", "isRunning",
            "getFrameJobID", "getImagePath", "doesProjectGenerateIFDs", "incrementAndGetLastEventId",
            "applyProjectNameFormula");

    /** The text of the first {@code <methodName>} element, found by a plain byte search; "" if none. */
    static String methodName(byte[] body) {
        int from = indexOf(body, METHOD_NAME_OPEN, 0);
        if (from < 0) {
            return "";
        }
        from += METHOD_NAME_OPEN.length;
        int to = from;
        while (to < body.length && to - from < 64 && body[to] != '<') {
            to++;
        }
        return new String(body, from, to - from, StandardCharsets.ISO_8859_1).trim();
    }

    private static final byte[] METHOD_NAME_OPEN = "<methodName>".getBytes(StandardCharsets.US_ASCII);

    private static int indexOf(byte[] body, byte[] what, int from) {
        outer:
        for (int i = from; i + what.length <= body.length && i < 512; i++) {
            for (int j = 0; j < what.length; j++) {
                if (body[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Settings of one XML-RPC endpoint (the DS component's configuration, or the bench's). */
    public record Settings(String host, int port, String token, long maxBodyBytes, int maxThreads, int selectors,
            int maxConnections, long idleTimeoutMillis) {
        /** Loopback defaults: 1 MiB bodies, 32 threads, I/O threads by cores, 512 connections, 30 s idle. */
        public static Settings loopback(int port) {
            return new Settings("127.0.0.1", port, null, DEFAULT_MAX_BODY, 32, 0, DEFAULT_MAX_CONNECTIONS, 30_000);
        }
    }

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
        return start(tracker, new Settings(host, port, token, maxBodyBytes, maxThreads, 0, DEFAULT_MAX_CONNECTIONS, 30_000));
    }

    /** Starts on loopback with the defaults (1 MiB bodies, 32 threads). */
    public static TrackerServer start(RenderTracker tracker, int port) throws IOException {
        return start(tracker, Settings.loopback(port));
    }

    /**
     * Starts serving with {@code settings}; {@code selectors} 0 picks one I/O thread per core, up to 4.
     *
     * @throws IllegalStateException off loopback without a token
     * @throws IOException when the port cannot be bound
     */
    public static TrackerServer start(RenderTracker tracker, Settings settings) throws IOException {
        TrackerRpc rpc = new TrackerRpc(tracker);
        TrackerService service = tracker instanceof TrackerService t ? t : null;
        boolean inline = service != null && service.store().acknowledgesWithoutWaiting();
        // calls answered on the I/O threads: one I/O thread per core (up to 4), so that a thread that is
        // descheduled while its answer wakes a client does not hold up the calls of the other connections
        int selectors = settings.selectors() > 0 ? settings.selectors()
                : inline ? Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())) : 1;
        HttpEndpoint endpoint = HttpEndpoint.builder().name("tessera-tracker").host(settings.host()).port(settings.port())
                .accessToken(settings.token()).maxRequestBytes(settings.maxBodyBytes()).maxThreads(settings.maxThreads())
                .selectors(Math.min(64, selectors)).maxConnections(settings.maxConnections())
                .idleTimeoutMillis(settings.idleTimeoutMillis()).bodyRoute(PATH, new HttpBodyRoute() {
                    @Override
                    public void handle(HttpExchange exchange, byte[] body) {
                        if (!exchange.method().equals("POST")) {
                            exchange.setHeader("Allow", "POST");
                            exchange.setHeader("Connection", "close");
                            exchange.respondText(405, "XML-RPC endpoint: POST a methodCall to " + PATH + "\n");
                            return;
                        }
                        if (body.length == 0 && exchange.header("Content-Length") == null
                                && exchange.header("Transfer-Encoding") == null) {
                            exchange.setHeader("Connection", "close");
                            exchange.respondText(411, "a POST to " + PATH + " needs a Content-Length or a chunked body\n");
                            return;
                        }
                        exchange.respond(200, CONTENT_TYPE, rpc.handle(body));
                    }

                    @Override
                    public void tooLarge(HttpExchange exchange, long limitBytes) {
                        exchange.respond(200, CONTENT_TYPE, XmlRpcCodec.fault(XmlRpcFault.REQUEST_TOO_LARGE,
                                "the request body is larger than the tracker's limit of " + limitBytes + " bytes"));
                    }

                    @Override
                    public boolean handleInline(HttpExchange exchange, byte[] body) {
                        if (!inline || body.length > INLINE_BODY_BYTES) {
                            return false;
                        }
                        String method = methodName(body);
                        if (INLINE_METHODS.contains(method)) {
                            return true;
                        }
                        if (method.equals("getChangedFrames")) {
                            // walks the project's frames: on the I/O thread only for projects of bounded size
                            XmlRpcCodec.MethodCall call = XmlRpcFastPath.parseCall(body, body.length);
                            if (call != null && !call.params().isEmpty() && call.params().get(0) instanceof String project) {
                                int frames = service.frameCount(project);
                                return frames >= 0 && frames <= INLINE_FRAMES;
                            }
                        }
                        return false;
                    }
                }).start();
        return new TrackerServer(endpoint);
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
