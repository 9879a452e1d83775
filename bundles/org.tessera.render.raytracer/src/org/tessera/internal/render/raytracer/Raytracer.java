// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.StereoEye;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;

/**
 * Loads, packs and caches scenes and renders tiles with a kernel. The native kernel is used unless
 * its library is missing or {@code -Dtessera.native=false}.
 */
public final class Raytracer {
    private static final Object KERNEL_LOCK = new Object();
    private static volatile Optional<NativeKernel> nativeKernel;
    private static volatile String nativeProblem = "";

    private record Key(Path file, FileTime modified, double clock, StereoEye eye, int width, int height,
            double eyeSeparation, double zeroParallax) {
    }

    private final Map<Key, PackedScene> packed = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, PackedScene> eldest) {
            return size() > 6;
        }
    };
    private final Map<String, List<double[]>> meshes = new ConcurrentHashMap<>();
    private final RaytracerKernel kernel;

    private Raytracer(RaytracerKernel kernel) {
        this.kernel = kernel;
    }

    /** The default: native when available and not switched off with {@code -Dtessera.native=false}. */
    public static Raytracer create() {
        boolean wantNative = !"false".equalsIgnoreCase(System.getProperty("tessera.native", "true"));
        if (wantNative) {
            Optional<NativeKernel> k = nativeKernel();
            if (k.isPresent()) {
                return new Raytracer(k.get());
            }
        }
        return new Raytracer(new JavaKernel());
    }

    /** A raytracer with the pure-Java kernel. */
    public static Raytracer java() {
        return new Raytracer(new JavaKernel());
    }

    /** A raytracer with the native kernel, if its library loads. */
    public static Optional<Raytracer> nativeRaytracer() {
        return nativeKernel().map(Raytracer::new);
    }

    /** Why the native kernel is not available ("" when it is). */
    public static String nativeProblem() {
        nativeKernel();
        return nativeProblem;
    }

    private static Optional<NativeKernel> nativeKernel() {
        synchronized (KERNEL_LOCK) {
            if (nativeKernel == null) {
                StringBuilder why = new StringBuilder();
                nativeKernel = NativeKernel.load(why);
                nativeProblem = why.toString();
            }
            return nativeKernel;
        }
    }

    /** {@code "native"} or {@code "java"}. */
    public String kernelName() {
        return kernel.name();
    }

    public TilePixels renderTile(RenderScene scene, Tile tile, RenderSettings settings) throws SceneException {
        PackedScene ps = pack(scene.file(), scene.folder(), settings);
        short[] rgb = new short[tile.pixels() * 3];
        kernel.render(ps, tile.x(), tile.y(), tile.width(), tile.height(), settings.antialias(), rgb);
        return new TilePixels(tile, rgb);
    }

    /** Number of triangles and spheres of the scene at clock 0 (for benchmarks). */
    public int primitives(RenderScene scene, RenderSettings settings) throws SceneException {
        return pack(scene.file(), scene.folder(), settings).primitives();
    }

    private PackedScene pack(Path file, Path folder, RenderSettings settings) throws SceneException {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            throw new SceneException("cannot read scene " + file + ": " + e.getMessage(), e);
        }
        Key key = new Key(file, modified, settings.clock(), settings.eye(), settings.width(), settings.height(),
                settings.display().eyeSeparation(), settings.display().zeroParallax());
        synchronized (packed) {
            PackedScene ps = packed.get(key);
            if (ps == null) {
                Scene s = SceneLoader.build(SceneLoader.parse(file), folder, settings.clock(), meshes);
                ps = PackedScene.pack(s, settings.width(), settings.height(), settings.eye(),
                        settings.display().eyeSeparation(), settings.display().zeroParallax());
                packed.put(key, ps);
            }
            return ps;
        }
    }
}
