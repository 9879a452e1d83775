// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.io.IOException;
import java.net.URI;
import java.util.Set;

import org.tessera.tracker.core.RenderTracker;

/**
 * Serves a {@link RenderTracker} over XML-RPC at {@code /RPC2} on an {@link RpcConnector}: POST only,
 * {@code text/xml}. Everything that goes wrong is an XML-RPC fault, a body over the limit too (fault
 * {@link XmlRpcFault#REQUEST_TOO_LARGE}, sent before the rest of the body is read and dropped, never
 * parsed or buffered).
 * <p>
 * Small calls of bounded cost ({@link #INLINE_METHODS}: the frame updates and other one-frame
 * calls) are answered on the I/O thread that read them when the tracker acknowledges a change with a
 * journal {@code write} alone (the default): no thread hand-off per call. Everything else, and every
 * call with fsync or a database commit per change, runs on pool threads, where waiting or walking
 * large projects does not hold up other connections.
 */
public final class TrackerServer implements AutoCloseable {
    /** The XML-RPC path, as Python's {@code ServerProxy} uses by default. */
    public static final String PATH = "/RPC2";
    /** Default largest request body: 1 MiB (a 10,000-frame project start is about 300 KiB). */
    public static final long DEFAULT_MAX_BODY = 1024 * 1024;
    /** Bodies up to this size may be answered on the I/O thread. */
    static final int INLINE_BODY_BYTES = 16 * 1024;
    private static final String CONTENT_TYPE = "text/xml; charset=utf-8";
    /**
     * Calls whose cost is small and bounded whatever is stored (one frame, one counter): these may run
     * on the I/O thread. Calls that walk a project's frames or the project list (getChangedFrames,
     * getAllFramesInfo, estimates, project starts and errors ...) run on the pool, so that a client
     * asking for a 100,000-frame project holds up no other connection.
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
        return new String(body, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1).trim();
    }

    private static final byte[] METHOD_NAME_OPEN = "<methodName>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

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

    private final RpcConnector connector;

    private TrackerServer(RpcConnector connector) {
        this.connector = connector;
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
        TrackerStore store = tracker instanceof TrackerService t ? t.store() : null;
        boolean inline = store != null && store.acknowledgesWithoutWaiting();
        // calls answered on the I/O threads: one I/O thread per two cores (up to 4), the other cores
        // left to the clients, pool calls and checkpoints (on 2 cores two I/O threads were slower than one)
        int selectors = inline ? Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2)) : 1;
        selectors = Math.max(1, Math.min(64, Integer.getInteger("tessera.tracker.selectors", selectors)));
        RpcConnector connector = RpcConnector.start(host, port, PATH, token, maxBodyBytes, 30_000, Math.max(1, maxThreads),
                selectors, new RpcConnector.Handler() {
                    @Override
                    public boolean inline(byte[] body) {
                        return inline && body.length <= INLINE_BODY_BYTES && INLINE_METHODS.contains(methodName(body));
                    }

                    @Override
                    public byte[] handle(byte[] body, boolean onIoThread) {
                        return onIoThread ? store.deferring(() -> rpc.handle(body)) : rpc.handle(body);
                    }

                    @Override
                    public byte[] tooLarge(long limitBytes) {
                        return XmlRpcCodec.fault(XmlRpcFault.REQUEST_TOO_LARGE,
                                "the request body is larger than the tracker's limit of " + limitBytes + " bytes");
                    }

                    @Override
                    public boolean roundDone() {
                        return store.awaitDeferred();
                    }

                    @Override
                    public byte[] storeFailed() {
                        return XmlRpcCodec.fault(XmlRpcFault.INTERNAL_ERROR, "the tracker could not store the change");
                    }
                });
        return new TrackerServer(connector);
    }

    /** Starts on loopback with the defaults (1 MiB bodies, 32 threads). */
    public static TrackerServer start(RenderTracker tracker, int port) throws IOException {
        return start(tracker, "127.0.0.1", port, null, DEFAULT_MAX_BODY, 32);
    }

    public int port() {
        return connector.port();
    }

    /** {@code http://host:port/RPC2}. */
    public URI uri() {
        String h = connector.host();
        h = h.contains(":") ? "[" + h + "]" : h;
        if (h.equals("0.0.0.0") || h.equals("[::]")) {
            h = "127.0.0.1";
        }
        return URI.create("http://" + h + ":" + port() + PATH);
    }

    @Override
    public void close() {
        connector.close();
    }
}
