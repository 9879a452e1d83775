// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core.node;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.DisplaySettings;
import org.tessera.cluster.core.NodeInfo;
import org.tessera.cluster.core.NodeProtocol;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The master's side of the node protocol ({@code docs/node-protocol.md}), one method per endpoint. Calls
 * block the calling thread (run them on virtual threads to call many nodes at once) and fail with a typed
 * {@link NodeException}: {@link NodeUnreachableException}, {@link NodeAuthenticationException},
 * {@link NodeRequestException} (4xx, with the node's message) or {@link NodeServerException} (5xx).
 * Every request names this master ({@link NodeProtocol#MASTER_HEADER}); the access token travels only in
 * the {@code Authorization} header and is never part of a message.
 * <pre>
 * try (NodeClient nodes = NodeClient.builder("me@pc0/1a2b3c4d").token(token).build()) {
 *     NodeInfo info = nodes.info(ClusterNode.of("pc1", 7701));
 * }
 * </pre>
 * Thread-safe; one client serves any number of nodes. Close it to release its connections.
 */
public final class NodeClient implements AutoCloseable {
    /** Connect timeout when the builder sets none: {@value} ms. */
    public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 2000;
    /** Request timeout of the small JSON calls when the builder sets none: {@value} ms. */
    public static final int DEFAULT_REQUEST_TIMEOUT_MILLIS = 5000;

    private static final Gson GSON = new Gson();

    private final HttpClient http;
    private final String token;
    private final String masterId;
    private final Duration requestTimeout;

    private NodeClient(Builder b) {
        HttpClient.Builder hb = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(b.connectTimeout);
        if (b.executor != null) {
            hb.executor(b.executor);
        }
        this.http = hb.build();
        this.token = b.token == null || b.token.isBlank() ? null : b.token;
        this.masterId = b.masterId;
        this.requestTimeout = b.requestTimeout;
    }

    /** A builder for a client that sends {@code masterId} as {@link NodeProtocol#MASTER_HEADER}. */
    public static Builder builder(String masterId) {
        return new Builder(masterId);
    }

    /** Settings of a {@link NodeClient}. */
    public static final class Builder {
        private final String masterId;
        private String token;
        private Duration connectTimeout = Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MILLIS);
        private Duration requestTimeout = Duration.ofMillis(DEFAULT_REQUEST_TIMEOUT_MILLIS);
        private Executor executor;

        private Builder(String masterId) {
            this.masterId = Objects.requireNonNull(masterId, "masterId");
        }

        /** The nodes' access token (sent as {@code Authorization: Bearer}); null or blank for none (loopback nodes). */
        public Builder token(String value) {
            token = value;
            return this;
        }

        /** How long to wait for a TCP connection to a node. */
        public Builder connectTimeout(Duration value) {
            connectTimeout = requirePositive(value);
            return this;
        }

        /** How long a small JSON call (info, claim, licences, display, ping) may take. */
        public Builder requestTimeout(Duration value) {
            requestTimeout = requirePositive(value);
            return this;
        }

        /** Where the HTTP client runs its own work; the JDK's default pool when not set. */
        public Builder executor(Executor value) {
            executor = value;
            return this;
        }

        public NodeClient build() {
            return new NodeClient(this);
        }

        private static Duration requirePositive(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, not " + d);
            }
            return d;
        }
    }

    /** The master id this client sends. */
    public String masterId() {
        return masterId;
    }

    /** The timeout of small calls. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    // ---- endpoints

    /** {@code GET /v1/info}: the node's report. Renews this master's claim when it holds one. */
    public NodeInfo info(ClusterNode node) throws NodeException, InterruptedException {
        byte[] body = exchange(node, NodeProtocol.INFO, null, null, requestTimeout);
        try {
            NodeInfo info = GSON.fromJson(new String(body, StandardCharsets.UTF_8), NodeInfo.class);
            if (info == null) {
                throw new NodeServerException(node.address(), 200, "empty info answer");
            }
            return info;
        } catch (JsonParseException e) {
            throw new NodeServerException(node.address(), 200, "info answer is not NodeInfo JSON (" + e.getMessage() + ")");
        }
    }

    /**
     * {@code POST /v1/claim}: this master holds the node for {@code leaseMillis} unless renewed.
     *
     * @throws NodeRequestException 409 with {@link NodeRequestException#heldBy()} when another master holds it
     *                              and {@code shared} is false
     */
    public void claim(ClusterNode node, boolean shared, long leaseMillis) throws NodeException, InterruptedException {
        postJson(node, NodeProtocol.CLAIM, Map.of("master", masterId, "shared", shared, "leaseMillis", leaseMillis));
    }

    /** {@code POST /v1/release}: drops this master's claim and its node licence. */
    public void release(ClusterNode node) throws NodeException, InterruptedException {
        postJson(node, NodeProtocol.RELEASE, Map.of("master", masterId));
    }

    /** {@code POST /v1/license/checkout}. @throws NodeRequestException 402 when the node has no seat free */
    public void checkoutLicense(ClusterNode node) throws NodeException, InterruptedException {
        postJson(node, NodeProtocol.LICENSE_CHECKOUT, Map.of("master", masterId));
    }

    /** {@code POST /v1/license/release}. */
    public void releaseLicense(ClusterNode node) throws NodeException, InterruptedException {
        postJson(node, NodeProtocol.LICENSE_RELEASE, Map.of("master", masterId));
    }

    /** {@code POST /v1/display}: the display settings the node reports and uses for test images. */
    public void display(ClusterNode node, DisplaySettings d) throws NodeException, InterruptedException {
        postJson(node, NodeProtocol.DISPLAY, Map.of("showTiles", d.showTiles(), "showTestImage", d.showTestImage(),
                "eyeSeparation", d.eyeSeparation(), "zeroParallax", d.zeroParallax()));
    }

    /** {@code GET /v1/ping}: one round trip. */
    public void ping(ClusterNode node) throws NodeException, InterruptedException {
        exchange(node, NodeProtocol.PING, null, null, requestTimeout);
    }

    /** {@code GET /v1/speedtest?bytes=N}: N bytes of payload (at most {@link NodeProtocol#MAX_SPEEDTEST_BYTES}). */
    public byte[] download(ClusterNode node, int bytes, Duration timeout) throws NodeException, InterruptedException {
        return exchange(node, NodeProtocol.SPEEDTEST + "?bytes=" + bytes, null, null, timeout);
    }

    /** {@code POST /v1/speedtest}: sends the payload; the node drains it. */
    public void upload(ClusterNode node, byte[] payload, Duration timeout) throws NodeException, InterruptedException {
        exchange(node, NodeProtocol.SPEEDTEST, payload, "application/octet-stream", timeout);
    }

    /**
     * {@code PUT /v1/scenes?sha256=}: stores a scene archive in the node's cache.
     *
     * @return true if the node stored it now, false if it had it already
     * @throws NodeRequestException 400 when the content's SHA-256 is not {@code sha256}, 413 when too large,
     *                              422 when the node refuses the archive
     */
    public boolean putScene(ClusterNode node, String sha256, byte[] zip, Duration timeout)
            throws NodeException, InterruptedException {
        HttpResponse<byte[]> r = send(node, NodeProtocol.SCENES + "?sha256=" + sha256, "PUT", zip, "application/zip", timeout);
        return r.statusCode() == 201;
    }

    /**
     * {@code POST /v1/render}: one tile.
     *
     * @param requestJson the tile request ({@code TileWire.requestJson} of render.core)
     * @return the answer's bytes ({@code TileWire.decode} reads them)
     * @throws NodeRequestException 404 when the scene is not cached (PUT it and ask again) or the engine is
     *                              unknown there, 422 on a scene error, 400 on a bad request
     * @throws NodeServerException  503 when the engine is unavailable there, 500 on other failures
     */
    public byte[] renderTile(ClusterNode node, String requestJson, Duration timeout) throws NodeException, InterruptedException {
        return exchange(node, NodeProtocol.RENDER, requestJson.getBytes(StandardCharsets.UTF_8), "application/json", timeout);
    }

    /** {@code GET /v1/testimage}: the node's test image as binary PPM (P6). */
    public byte[] testImage(ClusterNode node, int width, int height) throws NodeException, InterruptedException {
        return exchange(node, NodeProtocol.TEST_IMAGE + "?width=" + width + "&height=" + height, null, null, requestTimeout);
    }

    /** {@code http://host:port/path}, with brackets around IPv6 literals. */
    public static URI uri(ClusterNode node, String pathAndQuery) {
        String host = node.host().indexOf(':') >= 0 ? "[" + node.host().replace("%", "%25") + "]" : node.host();
        return URI.create("http://" + host + ":" + node.port() + pathAndQuery);
    }

    /** Closes the client's connections; calls in progress fail. */
    @Override
    public void close() {
        http.shutdownNow();
    }

    // ---- transport

    private void postJson(ClusterNode node, String path, Map<String, ?> json) throws NodeException, InterruptedException {
        exchange(node, path, GSON.toJson(json).getBytes(StandardCharsets.UTF_8), "application/json", requestTimeout);
    }

    private byte[] exchange(ClusterNode node, String pathAndQuery, byte[] body, String contentType, Duration timeout)
            throws NodeException, InterruptedException {
        return send(node, pathAndQuery, body == null ? "GET" : "POST", body, contentType, timeout).body();
    }

    private HttpResponse<byte[]> send(ClusterNode node, String pathAndQuery, String method, byte[] body,
            String contentType, Duration timeout) throws NodeException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(node, pathAndQuery)).timeout(timeout)
                .header(NodeProtocol.MASTER_HEADER, masterId);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable(node.address(), e, timeout);
        }
        if (r.statusCode() / 100 == 2) {
            return r;
        }
        throw failure(node.address(), r.statusCode(), r.body());
    }

    /** The typed error for a non-2xx answer. */
    static NodeException failure(String node, int status, byte[] body) {
        if (status == 401) {
            return new NodeAuthenticationException(node);
        }
        String message = "HTTP " + status;
        List<String> heldBy = List.of();
        try {
            JsonElement e = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            if (e.isJsonObject()) {
                JsonObject o = e.getAsJsonObject();
                if (o.has("error") && o.get("error").isJsonPrimitive()) {
                    message = o.get("error").getAsString();
                }
                if (o.has("heldBy") && o.get("heldBy").isJsonArray()) {
                    List<String> h = new ArrayList<>();
                    o.getAsJsonArray("heldBy").forEach(x -> h.add(x.getAsString()));
                    heldBy = h;
                }
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            // not a JSON error object: the status says it
        }
        if (status / 100 == 4) {
            return new NodeRequestException(node, status, message, heldBy);
        }
        return new NodeServerException(node, status, status / 100 == 5 ? message : "unexpected answer (HTTP " + status + ")");
    }

    private static NodeUnreachableException unreachable(String node, IOException e, Duration timeout) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return new NodeUnreachableException(node, "unknown host", false, e);
            }
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new NodeUnreachableException(node, "connect timed out", true, e);
        }
        if (e instanceof HttpTimeoutException) {
            return new NodeUnreachableException(node, "no answer within " + timeout.toMillis() + " ms", true, e);
        }
        if (e instanceof ConnectException) {
            return new NodeUnreachableException(node, "connection refused (is `tessera node serve` running there?)", false, e);
        }
        String m = e.getMessage();
        return new NodeUnreachableException(node, "connection lost (" + (m == null || m.isBlank()
                ? e.getClass().getSimpleName() : m) + ")", false, e);
    }

    /**
     * A short reason for a failed call, without stack or token: a {@link NodeException}'s
     * {@link NodeException#reason()}, unwrapped from {@code CompletionException}/{@code ExecutionException}.
     */
    public static String reason(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NodeException n) {
            return n.reason();
        }
        if (t instanceof java.util.concurrent.TimeoutException) {
            return "no answer in time";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
