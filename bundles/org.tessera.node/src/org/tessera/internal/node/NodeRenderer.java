// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.SceneArchive;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.StereoEye;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TileWire;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * {@code POST /v1/render}: renders one tile of a cached scene with one of the node's engines. Scene
 * archives are unpacked once per hash into a private temporary folder, removed by {@link #close()},
 * or at the latest when the JVM exits (a node in a process that ends while it still renders a tile
 * may not get to its {@code close()}). Once closed, no scene is unpacked again.
 */
final class NodeRenderer implements AutoCloseable {
    private static final Gson GSON = new Gson();

    /** An answer: 200 with the binary tile, or an error status and message. */
    record Answer(int status, byte[] body, String error) {
        static Answer error(int status, String message) {
            return new Answer(status, null, message);
        }
    }

    private final NodeState state;
    private final Supplier<List<RenderEngine>> engines;
    private final Map<String, Path> folders = new HashMap<>();
    private Path root;
    private Thread exitCleanup;
    private boolean closed;

    NodeRenderer(NodeState state, Supplier<List<RenderEngine>> engines) {
        this.state = state;
        this.engines = engines;
    }

    List<String> engineNames() {
        return engines.get().stream().map(RenderEngine::name).sorted().toList();
    }

    Answer render(byte[] body) {
        JsonObject o;
        try {
            o = GSON.fromJson(new String(body, StandardCharsets.UTF_8), JsonObject.class);
        } catch (JsonParseException e) {
            o = null;
        }
        if (o == null) {
            return Answer.error(400, "body must be a JSON render request (docs/node-protocol.md)");
        }
        String sha;
        String main;
        String engineName;
        int frame;
        Tile tile;
        RenderSettings settings;
        try {
            sha = o.get("sha256").getAsString().toLowerCase(java.util.Locale.ROOT);
            main = o.get("main").getAsString();
            engineName = o.get("engine").getAsString();
            frame = o.get("frame").getAsInt();
            settings = new RenderSettings(o.get("imageWidth").getAsInt(), o.get("imageHeight").getAsInt(),
                    o.has("antialias") ? o.get("antialias").getAsInt() : 1,
                    o.has("clock") ? o.get("clock").getAsDouble() : 0.0,
                    o.has("eye") ? StereoEye.valueOf(o.get("eye").getAsString()) : StereoEye.CENTER,
                    o.has("threads") ? o.get("threads").getAsInt() : 1);
            int x = o.get("x").getAsInt();
            int y = o.get("y").getAsInt();
            int w = o.get("width").getAsInt();
            int h = o.get("height").getAsInt();
            if (x < 0 || y < 0 || w <= 0 || h <= 0 || (long) x + w > settings.width() || (long) y + h > settings.height()) {
                return Answer.error(400, "tile " + x + "," + y + " " + w + "x" + h + " is not inside the "
                        + settings.width() + "x" + settings.height() + " image");
            }
            tile = new Tile(x, y, w, h);
        } catch (RuntimeException e) {
            return Answer.error(400, "render request needs sha256, main, engine, frame, x, y, width, height, imageWidth,"
                    + " imageHeight (and optionally antialias, clock, eye, threads): " + e.getMessage());
        }
        if (!sha.matches("[0-9a-f]{64}")) {
            return Answer.error(400, "sha256 must be 64 hex digits");
        }
        RenderEngine engine = engines.get().stream().filter(e -> e.name().equals(engineName)).findFirst().orElse(null);
        if (engine == null) {
            return Answer.error(404, "no render engine named '" + engineName + "' on this node; installed: "
                    + engineNames());
        }
        Path folder;
        try {
            folder = folder(sha);
        } catch (SceneException e) {
            return Answer.error(422, e.getMessage());
        } catch (IOException e) {
            return Answer.error(500, "cannot unpack the scene on this node: " + e.getMessage());
        }
        if (folder == null) {
            return Answer.error(404, "scene " + sha + " is not cached here; PUT it to /v1/scenes first");
        }
        RenderScene scene = new RenderScene(folder, main);
        if (!folder.resolve(main).normalize().startsWith(folder) || !scene.exists()) {
            return Answer.error(422, "the scene archive " + sha + " has no file '" + main + "'");
        }
        try {
            TilePixels pixels = engine.renderTile(scene, frame, tile, settings);
            pixels.validate(tile);
            return new Answer(200, TileWire.encode(pixels), null);
        } catch (SceneException e) {
            return Answer.error(422, e.getMessage());
        } catch (EngineUnavailableException e) {
            return Answer.error(503, e.getMessage());
        } catch (RenderException e) {
            return Answer.error(500, e.getMessage());
        } catch (RuntimeException e) {
            return Answer.error(500, "engine " + engineName + " failed: " + e);
        }
    }

    /** The unpacked folder of a cached scene, null when the node does not hold it. */
    private Path folder(String sha) throws IOException, SceneException {
        byte[] zip = state.scene(sha);
        synchronized (folders) {
            if (closed) {
                // shutdown hooks run while requests still come (a master retrying): nothing may recreate the folder
                throw new IOException("the node is stopping");
            }
            Path f = folders.get(sha);
            if (f != null && Files.isDirectory(f)) {
                return f;
            }
            if (zip == null) {
                return null;
            }
            if (root == null) {
                root = Files.createTempDirectory("tessera-node-scenes-");
                exitCleanup = new Thread(this::close, "tessera-node-scenes-cleanup");
                try {
                    Runtime.getRuntime().addShutdownHook(exitCleanup);
                } catch (IllegalStateException shuttingDown) {
                    exitCleanup = null; // the JVM is exiting: this request is the last
                }
            }
            f = root.resolve(sha);
            SceneArchive.extract(zip, f);
            folders.put(sha, f);
            return f;
        }
    }

    @Override
    public void close() {
        Path r;
        Thread hook;
        synchronized (folders) {
            closed = true;
            r = root;
            hook = exitCleanup;
            root = null;
            exitCleanup = null;
            folders.clear();
        }
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        if (r != null) {
            deleteTree(r);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort: a temporary folder (already gone when close() and the exit hook both ran)
        }
    }
}
