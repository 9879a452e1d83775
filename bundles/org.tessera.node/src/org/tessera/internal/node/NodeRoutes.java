// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.node;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.tessera.render.core.RenderEngine;

import org.tessera.cluster.core.NodeProtocol;
import org.tessera.http.HttpEndpoint;
import org.tessera.http.HttpExchange;
import org.tessera.node.NodeSettings;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/** The node protocol's routes on a shared {@link HttpEndpoint}. */
public final class NodeRoutes {
    private static final Gson GSON = new Gson();
    private static final byte[] PAYLOAD_BLOCK = new byte[1 << 16];

    static {
        new java.util.Random(7).nextBytes(PAYLOAD_BLOCK);
    }

    private final NodeState state;
    private final NodeRenderer renderer;
    private int port;

    private NodeRoutes(NodeState state, NodeRenderer renderer) {
        this.state = state;
        this.renderer = renderer;
    }

    /** Starts an endpoint answering the node protocol, without render engines. */
    public static HttpEndpoint start(NodeSettings settings) throws IOException {
        return start(settings, List::of, null);
    }

    /**
     * Starts an endpoint answering the node protocol.
     *
     * @param engines the render engines installed now (asked on every request: engines come and go)
     * @param closed  run when the endpoint is closed by {@link NodeServer#close()} (scene folders are removed); may be null
     */
    public static HttpEndpoint start(NodeSettings settings, Supplier<List<RenderEngine>> engines, Runnable[] closed)
            throws IOException {
        String hostName;
        try {
            hostName = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            hostName = "localhost";
        }
        // the name needs the port, which is known only after binding: fill it in lazily
        NodeRoutes[] self = new NodeRoutes[1];
        String finalHostName = hostName;
        HttpEndpoint.Builder b = HttpEndpoint.builder().name("tessera-node").host(settings.host()).port(settings.port())
                .accessToken(settings.token())
                .maxRequestBytes(Math.max(NodeProtocol.MAX_SPEEDTEST_BYTES, settings.maxSceneMB() * 1024L * 1024L))
                .maxThreads(64);
        Map<String, Route> routes = new HashMap<>();
        routes.put(NodeProtocol.INFO, (r, x) -> r.info(x));
        routes.put(NodeProtocol.PING, (r, x) -> x.respondText(200, "pong"));
        routes.put(NodeProtocol.CLAIM, (r, x) -> r.claim(x));
        routes.put(NodeProtocol.RELEASE, (r, x) -> r.release(x));
        routes.put(NodeProtocol.LICENSE_CHECKOUT, (r, x) -> r.checkout(x));
        routes.put(NodeProtocol.LICENSE_RELEASE, (r, x) -> r.licenseRelease(x));
        routes.put(NodeProtocol.DISPLAY, (r, x) -> r.display(x));
        routes.put(NodeProtocol.SPEEDTEST, (r, x) -> r.speedtest(x));
        routes.put(NodeProtocol.SCENES, (r, x) -> r.scenes(x));
        routes.put(NodeProtocol.RENDER, (r, x) -> r.render(x));
        routes.put(NodeProtocol.TEST_IMAGE, (r, x) -> r.testImage(x));
        routes.forEach((path, route) -> b.route(path, x -> {
            if (self[0] == null) {
                error(x, 503, "node is starting");
            } else {
                route.handle(self[0], x);
            }
        }));
        HttpEndpoint endpoint = b.start();
        NodeState nodeState = new NodeState(settings, finalHostName + ":" + endpoint.port());
        NodeRoutes r = new NodeRoutes(nodeState, new NodeRenderer(nodeState, engines));
        if (closed != null) {
            closed[0] = r.renderer::close;
        }
        r.port = endpoint.port();
        self[0] = r;
        return endpoint;
    }

    @FunctionalInterface
    private interface Route {
        void handle(NodeRoutes routes, HttpExchange exchange) throws Exception;
    }

    private static void json(HttpExchange x, int status, Object body) {
        x.respond(status, "application/json", GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void error(HttpExchange x, int status, String message) {
        json(x, status, Map.of("error", message));
    }

    private static boolean method(HttpExchange x, String... allowed) {
        for (String m : allowed) {
            if (m.equals(x.method())) {
                return true;
            }
        }
        error(x, 405, "use " + String.join(" or ", allowed));
        return false;
    }

    /** The JSON body's {@code master}, or null after answering 400. */
    private static JsonObject body(HttpExchange x) throws IOException {
        try {
            JsonObject o = GSON.fromJson(new String(x.body(), StandardCharsets.UTF_8), JsonObject.class);
            if (o == null || !o.has("master") || !o.get("master").isJsonPrimitive()
                    || o.get("master").getAsString().isBlank() || o.get("master").getAsString().length() > 256) {
                error(x, 400, "body must be JSON with a \"master\" id");
                return null;
            }
            return o;
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            error(x, 400, "body must be JSON with a \"master\" id");
            return null;
        }
    }

    private static Map<String, String> query(HttpExchange x) {
        Map<String, String> q = new HashMap<>();
        String raw = x.query();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static int intParam(Map<String, String> q, String name, int fallback, int min, int max) {
        try {
            int v = Integer.parseInt(q.getOrDefault(name, String.valueOf(fallback)));
            return Math.max(min, Math.min(max, v));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private void info(HttpExchange x) {
        if (!method(x, "GET")) {
            return;
        }
        String master = x.header(NodeProtocol.MASTER_HEADER);
        if (master != null) {
            state.renew(master);
        }
        json(x, 200, state.info(port, renderer.engineNames()));
    }

    private void claim(HttpExchange x) throws IOException {
        if (!method(x, "POST")) {
            return;
        }
        JsonObject o = body(x);
        if (o == null) {
            return;
        }
        boolean shared = o.has("shared") && o.get("shared").getAsBoolean();
        long lease = o.has("leaseMillis") ? o.get("leaseMillis").getAsLong() : NodeProtocol.DEFAULT_LEASE_MILLIS;
        List<String> heldBy = state.claim(o.get("master").getAsString(), shared, lease);
        if (heldBy == null) {
            json(x, 200, Map.of("claimed", true));
        } else {
            json(x, 409, Map.of("error", "node is held by another master", "heldBy", heldBy));
        }
    }

    private void release(HttpExchange x) throws IOException {
        if (method(x, "POST")) {
            JsonObject o = body(x);
            if (o != null) {
                state.release(o.get("master").getAsString());
                json(x, 200, Map.of("released", true));
            }
        }
    }

    private void checkout(HttpExchange x) throws IOException {
        if (method(x, "POST")) {
            JsonObject o = body(x);
            if (o != null) {
                if (state.checkoutLicense(o.get("master").getAsString())) {
                    json(x, 200, Map.of("granted", true));
                } else {
                    error(x, 402, "no licence seat free on " + state.name() + " (claim the node first)");
                }
            }
        }
    }

    private void licenseRelease(HttpExchange x) throws IOException {
        if (method(x, "POST")) {
            JsonObject o = body(x);
            if (o != null) {
                state.releaseLicense(o.get("master").getAsString());
                json(x, 200, Map.of("released", true));
            }
        }
    }

    private void display(HttpExchange x) throws IOException {
        if (!method(x, "POST")) {
            return;
        }
        try {
            JsonObject o = GSON.fromJson(new String(x.body(), StandardCharsets.UTF_8), JsonObject.class);
            state.display(o.get("showTiles").getAsBoolean(), o.get("showTestImage").getAsBoolean(),
                    o.get("eyeSeparation").getAsDouble(), o.get("zeroParallax").getAsDouble());
            json(x, 200, Map.of("ok", true));
        } catch (RuntimeException e) {
            error(x, 400, "body must be {\"showTiles\":bool,\"showTestImage\":bool,\"eyeSeparation\":n,\"zeroParallax\":n}");
        }
    }

    private void speedtest(HttpExchange x) throws IOException {
        if ("GET".equals(x.method())) {
            int bytes = intParam(query(x), "bytes", 1 << 20, 0, NodeProtocol.MAX_SPEEDTEST_BYTES);
            byte[] out = new byte[bytes];
            for (int off = 0; off < bytes; off += PAYLOAD_BLOCK.length) {
                System.arraycopy(PAYLOAD_BLOCK, 0, out, off, Math.min(PAYLOAD_BLOCK.length, bytes - off));
            }
            x.respond(200, "application/octet-stream", out);
        } else if (method(x, "POST")) {
            long n = 0;
            byte[] buf = new byte[1 << 16];
            try (InputStream in = x.bodyStream()) {
                for (int r; (r = in.read(buf)) > 0;) {
                    n += r;
                }
            }
            json(x, 200, Map.of("received", n));
        }
    }

    private void scenes(HttpExchange x) throws IOException {
        String sha = query(x).getOrDefault("sha256", "").toLowerCase(java.util.Locale.ROOT);
        if (!sha.matches("[0-9a-f]{64}")) {
            error(x, 400, "give the scene's SHA-256 as ?sha256=<64 hex digits>");
            return;
        }
        if ("PUT".equals(x.method())) {
            byte[] data = x.body();
            String actual;
            try {
                actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            if (!actual.equals(sha)) {
                error(x, 400, "content hash is " + actual + ", not " + sha);
                return;
            }
            boolean had = state.scene(sha) != null;
            state.putScene(sha, data);
            json(x, had ? 200 : 201, Map.of("sha256", sha, "bytes", data.length, "cached", had));
        } else if (method(x, "GET", "PUT")) {
            byte[] data = state.scene(sha);
            if (data == null) {
                error(x, 404, "scene " + sha + " is not cached here; PUT it first");
            } else {
                x.respond(200, "application/octet-stream", data);
            }
        }
    }

    private void render(HttpExchange x) throws IOException {
        if (!method(x, "POST")) {
            return;
        }
        NodeRenderer.Answer a = renderer.render(x.body());
        if (a.status() == 200) {
            x.respond(200, "application/octet-stream", a.body());
        } else {
            error(x, a.status(), a.error());
        }
    }

    private void testImage(HttpExchange x) {
        if (!method(x, "GET")) {
            return;
        }
        Map<String, String> q = query(x);
        int w = intParam(q, "width", 320, 1, 4096);
        int h = intParam(q, "height", 240, 1, 4096);
        x.respond(200, "image/x-portable-pixmap", TestImage.ppm(w, h));
    }
}
