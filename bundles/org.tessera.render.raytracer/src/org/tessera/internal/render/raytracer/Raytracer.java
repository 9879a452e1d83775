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
 * Loads, packs and caches scenes and renders tiles with a kernel. The default kernel is the first that
 * loads of Embree ({@link EmbreeKernel}), the double-precision C twin ({@link NativeKernel}) and Java
 * ({@link JavaKernel}); {@code -Dtessera.kernel=embree|native|java} asks for one (falling back down the
 * same list when it cannot load), {@code -Dtessera.native=false} means Java.
 */
public final class Raytracer {
    private static final Object KERNEL_LOCK = new Object();
    private static volatile Optional<NativeKernel> nativeKernel;
    private static volatile String nativeProblem = "";
    private static volatile Optional<EmbreeKernel> embreeKernel;
    private static volatile String embreeProblem = "";
    private static final java.util.Set<String> NOTICED = ConcurrentHashMap.newKeySet();

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
    private final boolean allCores;

    private Raytracer(RaytracerKernel kernel) {
        this(kernel, false);
    }

    private Raytracer(RaytracerKernel kernel, boolean allCores) {
        this.kernel = kernel;
        this.allCores = allCores;
    }

    /**
     * The same kernel rendering each tile with all cores: the tile's rows are cut into strips rendered in
     * parallel (a pixel's rays depend on the pixel alone, so the pixels are the same). A node keeps only a
     * few tiles in flight; this way each of them uses every core. The raytracers of the static factories
     * render on the calling thread alone.
     */
    public Raytracer withAllCores() {
        return new Raytracer(kernel, true);
    }

    /** The default kernel (see the class comment). */
    public static Raytracer create() {
        String wanted = System.getProperty("tessera.kernel", "auto").strip().toLowerCase(java.util.Locale.ROOT);
        if ("false".equalsIgnoreCase(System.getProperty("tessera.native", "true"))) {
            wanted = "java";
        }
        if (wanted.equals("auto") || wanted.equals("embree")) {
            Optional<EmbreeKernel> e = embreeKernel();
            if (e.isPresent()) {
                return new Raytracer(e.get());
            }
        }
        if (!wanted.equals("java")) {
            Optional<NativeKernel> k = nativeKernel();
            if (k.isPresent()) {
                return new Raytracer(k.get());
            }
        }
        return new Raytracer(new JavaKernel());
    }

    /**
     * A raytracer with the kernel of this kind ({@code embree}, {@code native}, {@code java}), empty when
     * it cannot load here (then {@link #embreeProblem()} / {@link #nativeProblem()} say why).
     *
     * @throws IllegalArgumentException for another name
     */
    public static Optional<Raytracer> ofKind(String kind) {
        return switch (kind) {
            case "embree" -> embreeRaytracer();
            case "native" -> nativeRaytracer();
            case "java" -> Optional.of(java());
            default -> throw new IllegalArgumentException("unknown raytracer kernel '" + kind + "' (embree, native, java)");
        };
    }

    /** A raytracer with the pure-Java kernel. */
    public static Raytracer java() {
        return new Raytracer(new JavaKernel());
    }

    /** A raytracer with the double-precision C kernel, if its library loads. */
    public static Optional<Raytracer> nativeRaytracer() {
        return nativeKernel().map(Raytracer::new);
    }

    /** A raytracer with the Embree kernel, if its library and Embree load. */
    public static Optional<Raytracer> embreeRaytracer() {
        return embreeKernel().map(Raytracer::new);
    }

    /** Why the native kernel is not available ("" when it is). */
    public static String nativeProblem() {
        nativeKernel();
        return nativeProblem;
    }

    /** Why the Embree kernel is not available ("" when it is). */
    public static String embreeProblem() {
        embreeKernel();
        return embreeProblem;
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

    private static Optional<EmbreeKernel> embreeKernel() {
        synchronized (KERNEL_LOCK) {
            if (embreeKernel == null) {
                StringBuilder why = new StringBuilder();
                embreeKernel = EmbreeKernel.load(why);
                embreeProblem = why.toString();
            }
            return embreeKernel;
        }
    }

    /**
     * The one-line notice of which kernel runs, and why a faster one does not, e.g.
     * {@code "raytracer kernel: java (pure Java, double precision); not embree: no libtessera_embree.so ..."}.
     */
    public String kernelNotice() {
        StringBuilder b = new StringBuilder("raytracer kernel: ").append(kernel.description());
        if (!kernel.name().equals("embree") && !embreeProblem().isEmpty()) {
            b.append("; not embree: ").append(embreeProblem());
        }
        if (kernel.name().equals("java") && !nativeProblem().isEmpty()) {
            b.append("; not native: ").append(nativeProblem());
        }
        return b.toString();
    }

    /** Prints {@link #kernelNotice()} on stderr, once per process and kernel. */
    void noticeOnce() {
        if (NOTICED.add(kernel.name())) {
            System.err.println("tessera: " + kernelNotice());
        }
    }

    /** {@code "embree"}, {@code "native"} or {@code "java"}: the kernel kind (pixels agree within one kind). */
    public String kernelName() {
        return kernel.name();
    }

    public TilePixels renderTile(RenderScene scene, Tile tile, RenderSettings settings) throws SceneException {
        PackedScene ps = pack(scene.file(), scene.folder(), settings);
        short[] rgb = new short[tile.pixels() * 3];
        int cores = Runtime.getRuntime().availableProcessors();
        if (!allCores || cores < 2 || tile.height() < 2) {
            kernel.render(ps, tile.x(), tile.y(), tile.width(), tile.height(), settings.antialias(), rgb);
            return new TilePixels(tile, rgb);
        }
        int strips = Math.min(tile.height(), 2 * cores);
        int w = tile.width();
        java.util.stream.IntStream.range(0, strips).parallel().forEach(k -> {
            int y0 = k * tile.height() / strips;
            int y1 = (k + 1) * tile.height() / strips;
            if (y1 > y0) {
                short[] part = new short[w * (y1 - y0) * 3];
                kernel.render(ps, tile.x(), tile.y() + y0, w, y1 - y0, settings.antialias(), part);
                System.arraycopy(part, 0, rgb, y0 * w * 3, part.length);
            }
        });
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
                        settings.display().eyeSeparation(), settings.display().zeroParallax(), !kernel.name().equals("embree"));
                packed.put(key, ps);
            }
            return ps;
        }
    }
}
