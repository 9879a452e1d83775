// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.NodeProtocol;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.SceneArchive;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TileTask;
import org.tessera.render.core.TileWire;
import org.tessera.render.core.TileWorker;

/**
 * A cluster node as a place to render tiles: uploads the scene archive once per node (content-addressed,
 * {@code PUT /v1/scenes?sha256=}) and asks the node for each tile ({@code POST /v1/render}). A node that
 * lost its cache (it restarted) gets the scene again. The access token travels only in the
 * Authorization header.
 */
public final class RemoteTileWorker implements TileWorker {
    /** Longest one HTTP tile request may take before it fails here (the scheduler's tile timeout is usually shorter). */
    public static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    /** Packed scenes, by folder + main file + a stamp of the folder's state, shared by all workers. */
    private static final Map<String, SceneArchive> ARCHIVES = new ConcurrentHashMap<>();

    private final ClusterNode node;
    private final int capacity;
    private final String token;
    private final String master;
    private final Map<String, Boolean> uploaded = new ConcurrentHashMap<>();
    private final AtomicInteger tiles = new AtomicInteger();

    /**
     * @param node     the node
     * @param capacity tiles in flight on it (its cores, typically)
     * @param token    the node's access token, or null on loopback
     * @param master   the master id sent as {@code X-Tessera-Master}
     */
    public RemoteTileWorker(ClusterNode node, int capacity, String token, String master) {
        this.node = node;
        this.capacity = Math.max(1, capacity);
        this.token = token == null || token.isBlank() ? null : token;
        this.master = master == null ? "tessera-render" : master;
    }

    /** The master's token for nodes, from the {@link org.tessera.core.Credentials} (secure storage, environment or a 0600 file). */
    public static String defaultToken() {
        return org.tessera.core.Credentials.lookup(RemoteTileWorker.class, org.tessera.core.Credentials.CLUSTER_TOKEN).orElse(null);
    }

    @Override
    public String name() {
        return node.address();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** Tiles this worker rendered so far. */
    public int tilesRendered() {
        return tiles.get();
    }

    @Override
    public TilePixels render(TileTask task) throws Exception {
        try {
            return renderOnNode(task);
        } catch (IOException e) {
            // a transport failure is the node's, never "cannot write frame": the scheduler re-queues the tile
            throw new RenderException("node " + name() + " failed: " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused (is the node server still running?)";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private TilePixels renderOnNode(TileTask task) throws IOException, InterruptedException, RenderException {
        SceneArchive archive = archive(task);
        upload(archive);
        HttpResponse<byte[]> r = post(archive, task);
        if (r.statusCode() == 404 && error(r).contains("not cached")) {
            uploaded.remove(archive.sha256()); // the node restarted and lost its cache
            upload(archive);
            r = post(archive, task);
        }
        if (r.statusCode() == 200) {
            TilePixels pixels = TileWire.decode(r.body());
            tiles.incrementAndGet();
            return pixels;
        }
        String message = name() + ": " + error(r);
        switch (r.statusCode()) {
            case 422 -> throw new SceneException(message);
            case 404, 503 -> throw new EngineUnavailableException(message);
            default -> throw new RenderException("HTTP " + r.statusCode() + " from " + message);
        }
    }

    private HttpResponse<byte[]> post(SceneArchive archive, TileTask task) throws IOException, InterruptedException {
        byte[] body = TileWire.requestJson(archive.sha256(), task).getBytes(StandardCharsets.UTF_8);
        return HTTP.send(request(NodeProtocol.RENDER).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void upload(SceneArchive archive) throws IOException, InterruptedException, RenderException {
        if (uploaded.containsKey(archive.sha256())) {
            return;
        }
        synchronized (uploaded) {
            if (uploaded.containsKey(archive.sha256())) {
                return;
            }
            HttpResponse<byte[]> r = HTTP.send(request(NodeProtocol.SCENES + "?sha256=" + archive.sha256())
                    .header("Content-Type", "application/zip").PUT(HttpRequest.BodyPublishers.ofByteArray(archive.zip()))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                throw new RenderException("scene upload to " + name() + " failed: " + error(r));
            }
            uploaded.put(archive.sha256(), Boolean.TRUE);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        String host = node.host().indexOf(':') >= 0 ? "[" + node.host() + "]" : node.host();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + node.port() + pathAndQuery))
                .timeout(REQUEST_TIMEOUT).header(NodeProtocol.MASTER_HEADER, master);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /**
     * The node's message from its JSON error answer ({@code {"error":"…"}}), decoded as JSON (POV-Ray's
     * multi-line messages keep their line breaks and quotes), or the status when the body is no such object.
     */
    static String error(HttpResponse<byte[]> r) {
        return errorMessage(r.statusCode(), r.body());
    }

    static String errorMessage(int status, byte[] body) {
        try {
            JsonElement e = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            if (e.isJsonObject() && e.getAsJsonObject().has("error") && e.getAsJsonObject().get("error").isJsonPrimitive()) {
                return e.getAsJsonObject().get("error").getAsString();
            }
        } catch (JsonParseException | IllegalStateException e) {
            // not JSON: say what the status was
        }
        return "HTTP " + status;
    }

    /** The packed scene, packed once per job (all workers of the job share it). */
    static SceneArchive archive(TileTask task) throws SceneException {
        RenderScene scene = task.scene();
        String key = task.jobId() + "|" + scene.folder() + "|" + scene.mainFile();
        synchronized (ARCHIVES) {
            SceneArchive a = ARCHIVES.get(key);
            if (a == null) {
                a = SceneArchive.of(scene, scene.excluded());
                System.err.printf(java.util.Locale.ROOT, "sending the scene to nodes: %d files, %.1f MB (%s; list what nodes do not need in %s)%n",
                        a.files(), a.bytes() / 1e6, scene.folder(), SceneArchive.IGNORE_FILE);
                if (ARCHIVES.size() >= 8) {
                    ARCHIVES.clear();
                }
                ARCHIVES.put(key, a);
            }
            return a;
        }
    }
}
