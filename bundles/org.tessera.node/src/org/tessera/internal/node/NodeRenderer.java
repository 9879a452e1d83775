// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.node;

import java.io.File;
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
import org.tessera.render.core.ImageTooLargeException;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.SceneArchive;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.StereoEye;
import org.tessera.render.core.DisplayOptions;
import org.tessera.render.core.TestPattern;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TileWire;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * {@code POST /v1/render}: renders one tile of a cached scene with one of the node's engines. Scene
 * archives are unpacked once per hash into a private folder (owner-only, read-only once unpacked, checked
 * before each use), removed by {@link #close()},
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
    private final Map<String, Unpacked> folders = new HashMap<>();
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
                    o.has("threads") ? o.get("threads").getAsInt() : 1,
                    new DisplayOptions(false, o.has("eyeSeparation") ? o.get("eyeSeparation").getAsDouble() : Double.NaN,
                            o.has("zeroParallax") ? o.get("zeroParallax").getAsDouble() : 0,
                            o.has("testImage") && o.get("testImage").getAsBoolean(), false),
                    o.has("options") ? o.get("options").getAsString() : "",
                    o.has("ini") ? o.get("ini").getAsString() : "");
            int x = o.get("x").getAsInt();
            int y = o.get("y").getAsInt();
            int w = o.get("width").getAsInt();
            int h = o.get("height").getAsInt();
            if (x < 0 || y < 0 || w <= 0 || h <= 0 || (long) x + w > settings.width() || (long) y + h > settings.height()) {
                return Answer.error(400, "tile " + x + "," + y + " " + w + "x" + h + " is not inside the "
                        + settings.width() + "x" + settings.height() + " image");
            }
            tile = new Tile(x, y, w, h);
            // engines such as POV-Ray write the whole image for one tile: the image must fit in memory
            ImageTooLargeException.check("an image of", settings.width(), settings.height());
        } catch (ImageTooLargeException e) {
            return Answer.error(413, e.getMessage());
        } catch (RuntimeException e) {
            return Answer.error(400, "render request needs sha256, main, engine, frame, x, y, width, height, imageWidth,"
                    + " imageHeight (and optionally antialias, clock, eye, threads, eyeSeparation, zeroParallax, testImage,"
                    + " options, ini): "
                    + (e instanceof NullPointerException ? "a field is missing" : "a field has the wrong type or value"));
        }
        if (!sha.matches("[0-9a-f]{64}")) {
            return Answer.error(400, "sha256 must be 64 hex digits");
        }
        if (settings.display().showTestImage() || state.showTestImage()) {
            // a display cluster's test image replaces the scene (setShowTestImage), whatever the engine
            return new Answer(200, TileWire.encode(TestPattern.tile(settings.width(), tile)), null);
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

    /**
     * The unpacked folder of a cached scene, null when the node does not hold it. A folder is unpacked once
     * per hash, made read-only, and checked before every use against what was unpacked (names, sizes,
     * modification times): a folder that changed is unpacked again from the archive, whose hash was checked
     * when it was stored. Folders whose archive the node no longer holds are deleted, so the unpacked cache
     * is bounded like the archives ({@link NodeState#putScene}).
     */
    private Path folder(String sha) throws IOException, SceneException {
        byte[] zip = state.scene(sha);
        synchronized (folders) {
            if (closed) {
                // shutdown hooks run while requests still come (a master retrying): nothing may recreate the folder
                throw new IOException("the node is stopping");
            }
            evictStale();
            Unpacked u = folders.get(sha);
            if (u != null && Files.isDirectory(u.folder)) {
                if (u.fingerprint.equals(fingerprint(u.folder))) {
                    return u.folder;
                }
                System.err.println("node: the cached scene " + sha + " changed on disk; unpacking it again");
                folders.remove(sha);
                deleteTree(u.folder);
            }
            if (zip == null) {
                return null;
            }
            if (!SceneArchive.sha256(zip).equals(sha)) {
                throw new SceneException("the cached archive of scene " + sha + " no longer matches its hash; PUT it again");
            }
            if (root == null) {
                root = privateFolder();
                exitCleanup = new Thread(this::close, "tessera-node-scenes-cleanup");
                try {
                    Runtime.getRuntime().addShutdownHook(exitCleanup);
                } catch (IllegalStateException shuttingDown) {
                    exitCleanup = null; // the JVM is exiting: this request is the last
                }
            }
            // short names: POV-Ray 3.7 overruns a fixed buffer (stack smashing) on errors in scenes with long paths
            Path f = root.resolve(sha.substring(0, 16));
            try {
                SceneArchive.extract(zip, f);
                readOnly(f);
            } catch (SceneException | IOException | RuntimeException e) {
                deleteTree(f);
                throw e;
            }
            folders.put(sha, new Unpacked(f, fingerprint(f)));
            return f;
        }
    }

    /** An unpacked scene and what it held when unpacked. */
    private record Unpacked(Path folder, List<String> fingerprint) {
    }

    /** Deletes unpacked scenes whose archive the node no longer holds (evicted, least recently used). */
    private void evictStale() {
        for (var it = folders.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (state.scene(e.getKey()) == null) {
                it.remove();
                deleteTree(e.getValue().folder);
            }
        }
    }

    /**
     * A folder of this node's own for unpacked scenes, readable by its owner alone: inside the node
     * bundle's data area (the product's configuration, not a world-writable place) when running in OSGi,
     * else under java.io.tmpdir.
     */
    private static Path privateFolder() throws IOException {
        Path base = null;
        org.osgi.framework.Bundle b = org.osgi.framework.FrameworkUtil.getBundle(NodeRenderer.class);
        if (b != null && b.getBundleContext() != null) {
            java.io.File data = b.getBundleContext().getDataFile("scenes");
            if (data != null) {
                base = Files.createDirectories(data.toPath());
            }
        }
        var owner = java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        if (base == null) {
            return Files.createTempDirectory("tessera-node-scenes-", owner);
        }
        // folders of node processes that ended without cleaning up (kill -9) go now: one per process id
        try (Stream<Path> old = Files.list(base)) {
            for (Path f : (Iterable<Path>) old::iterator) {
                java.util.regex.Matcher m = STALE.matcher(f.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    deleteTree(f);
                }
            }
        }
        // a short name (n<pid>-<k>): the whole path reaches the renderer's command line and error messages
        for (int k = 0; ; k++) {
            try {
                return Files.createDirectory(base.resolve("n" + ProcessHandle.current().pid() + "-" + k), owner);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // another node in this process
            }
        }
    }

    private static final java.util.regex.Pattern STALE = java.util.regex.Pattern.compile("(?:n|node-)([0-9]{1,10})-[0-9]+");

    /** Files 0444 and folders 0555: a job cannot change a cached scene (the sandbox mounts it read-only too). */
    private static void readOnly(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions
                        .fromString(Files.isDirectory(p) ? "r-xr-x---" : "r--r-----"));
            }
        }
    }

    private static List<String> fingerprint(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.sorted().map(p -> {
                try {
                    var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    return folder.relativize(p) + "|" + a.isDirectory() + "|" + a.size() + "|"
                            + a.lastModifiedTime().toMillis() + "|" + a.isSymbolicLink();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
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
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                File parent = p.getParent() == null ? null : p.getParent().toFile();
                if (parent != null) {
                    parent.setWritable(true, true); // read-only folders of unpacked scenes
                }
                p.toFile().delete();
            });
        } catch (IOException | RuntimeException e) {
            // best effort: a temporary folder (already gone when close() and the exit hook both ran)
        }
    }
}
