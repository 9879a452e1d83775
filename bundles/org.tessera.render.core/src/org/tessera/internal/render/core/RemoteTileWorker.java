// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.node.NodeClient;
import org.tessera.cluster.core.node.NodeException;
import org.tessera.cluster.core.node.NodeRequestException;
import org.tessera.cluster.core.node.NodeServerException;
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
 * A cluster node as a place to render tiles, through the node client of cluster.core: uploads the scene
 * archive once per node (content-addressed, {@code PUT /v1/scenes?sha256=}) and asks the node for each tile
 * ({@code POST /v1/render}). A node that lost its cache (it restarted) gets the scene again. The node's
 * typed errors become the renderer's: 422 a {@link SceneException}, 404/503 an
 * {@link EngineUnavailableException}, anything else (no answer, 401, 500) a {@link RenderException} that
 * re-queues the tile elsewhere.
 */
public final class RemoteTileWorker implements TileWorker {
    /** Longest one HTTP tile request may take before it fails here (the scheduler's tile timeout is usually shorter). */
    public static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);
    /** Connect timeout of the workers' node client. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /** Packed scenes, by folder + main file + a stamp of the folder's state, shared by all workers. */
    private static final Map<String, SceneArchive> ARCHIVES = new ConcurrentHashMap<>();

    private final NodeClient client;
    private final ClusterNode node;
    private final int capacity;
    private final Map<String, Boolean> uploaded = new ConcurrentHashMap<>();
    private final AtomicInteger tiles = new AtomicInteger();

    /**
     * A worker with a node client of its own.
     *
     * @param node     the node
     * @param capacity tiles in flight on it (its cores, typically)
     * @param token    the node's access token, or null on loopback
     * @param master   the master id sent as {@code X-Tessera-Master}
     */
    public RemoteTileWorker(ClusterNode node, int capacity, String token, String master) {
        this(NodeClient.builder(master == null ? "tessera-render" : master).token(token).connectTimeout(CONNECT_TIMEOUT)
                .build(), node, capacity);
    }

    /**
     * A worker using a shared node client (one per master, for all its workers).
     *
     * @param capacity tiles in flight on the node
     */
    public RemoteTileWorker(NodeClient client, ClusterNode node, int capacity) {
        this.client = client;
        this.node = node;
        this.capacity = Math.max(1, capacity);
    }

    /** The master's token for nodes, from the {@link org.tessera.core.Credentials} (secure storage, environment or a 0600 file). */
    public static String defaultToken() {
        return org.tessera.core.Credentials.lookup(RemoteTileWorker.class, org.tessera.core.Credentials.CLUSTER_TOKEN).orElse(null);
    }

    /** The node this worker renders on. */
    public ClusterNode node() {
        return node;
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
        SceneArchive archive = archive(task);
        String request = TileWire.requestJson(archive.sha256(), task);
        try {
            byte[] answer;
            upload(archive);
            try {
                answer = client.renderTile(node, request, REQUEST_TIMEOUT);
            } catch (NodeRequestException e) {
                if (e.status() != 404 || !e.reason().contains("not cached")) {
                    throw e;
                }
                uploaded.remove(archive.sha256()); // the node restarted and lost its cache
                upload(archive);
                answer = client.renderTile(node, request, REQUEST_TIMEOUT);
            }
            TilePixels pixels = TileWire.decode(answer);
            tiles.incrementAndGet();
            return pixels;
        } catch (NodeRequestException e) {
            switch (e.status()) {
                case 422 -> throw new SceneException(e.getMessage());
                case 404 -> throw new EngineUnavailableException(e.getMessage());
                default -> throw new RenderException("HTTP " + e.status() + " from " + e.getMessage(), e);
            }
        } catch (NodeServerException e) {
            if (e.status() == 503) {
                throw new EngineUnavailableException(e.getMessage());
            }
            throw new RenderException("HTTP " + e.status() + " from " + e.getMessage(), e);
        } catch (NodeException e) {
            // no answer or 401: the node's failure, never "cannot write frame"; the scheduler re-queues the tile
            throw new RenderException("node " + name() + " failed: " + e.reason(), e);
        }
    }

    private void upload(SceneArchive archive) throws NodeException, InterruptedException, RenderException {
        if (uploaded.containsKey(archive.sha256())) {
            return;
        }
        synchronized (uploaded) {
            if (uploaded.containsKey(archive.sha256())) {
                return;
            }
            try {
                client.putScene(node, archive.sha256(), archive.zip(), REQUEST_TIMEOUT);
            } catch (NodeRequestException | NodeServerException e) {
                throw new RenderException("scene upload to " + name() + " failed: " + e.reason(), e);
            }
            uploaded.put(archive.sha256(), Boolean.TRUE);
        }
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
