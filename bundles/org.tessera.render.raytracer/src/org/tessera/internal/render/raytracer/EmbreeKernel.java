// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Embree kernel (native/tessera_embree.c): Intel Embree 3 traverses, single-precision Whitted
 * shading in C, the samples of a pixel traced as one packet; called through the Foreign Function &amp;
 * Memory API. The library {@value #LIBRARY} ships in the fragment {@code org.tessera.render.raytracer.linux.x86_64}
 * when the build machine had the Embree headers, and loads where {@code libembree3.so.3} is installed;
 * {@code -Dtessera.embree.library=FILE} names a library file directly. Its pixels are not those of the
 * double-precision kernels, so a frame is never mixed from both (see {@link #KIND}).
 */
final class EmbreeKernel implements RaytracerKernel {
    static final String LIBRARY = "libtessera_embree.so";
    private static final int ABI = 1;

    private final MethodHandle newScene;
    private final MethodHandle freeScene;
    private final MethodHandle renderTile;
    private final String version;
    private final int buildThreads;

    private EmbreeKernel(MethodHandle newScene, MethodHandle freeScene, MethodHandle renderTile, String version) {
        this.newScene = newScene;
        this.freeScene = freeScene;
        this.renderTile = renderTile;
        this.version = version;
        this.buildThreads = buildThreads();
    }

    /** Threads of Embree's BVH builds: {@code -Dtessera.embree.buildThreads}, default 1 (tiles run in parallel anyway). */
    private static int buildThreads() {
        return Integer.getInteger("tessera.embree.buildThreads", 1);
    }

    /** The Embree kernel, or why it is not available (appended to {@code why}); starts Embree's device. */
    static Optional<EmbreeKernel> load(StringBuilder why) {
        try {
            Path lib = NativeKernel.locate(LIBRARY, "tessera.embree.library");
            if (lib == null) {
                why.append("no ").append(LIBRARY).append(" in the fragment (built without the Embree headers, libembree-dev)");
                return Optional.empty();
            }
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(lib, Arena.global());
            } catch (IllegalArgumentException e) {
                why.append("cannot load ").append(LIBRARY).append(" (is libembree3-3 installed?): ").append(e.getMessage());
                return Optional.empty();
            }
            Linker linker = Linker.nativeLinker();
            int abi = (int) linker.downcallHandle(lookup.find("tessera_embree_abi").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT)).invokeExact();
            if (abi != ABI) {
                why.append(lib).append(" has layout version ").append(abi).append(", expected ").append(ABI);
                return Optional.empty();
            }
            MethodHandle error = linker.downcallHandle(lookup.find("tessera_embree_error").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS));
            int check = (int) linker.downcallHandle(lookup.find("tessera_embree_check").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT)).invokeExact(buildThreads());
            if (check != 0) {
                why.append("Embree does not start here: ").append(((MemorySegment) error.invokeExact()).reinterpret(256).getString(0));
                return Optional.empty();
            }
            MemorySegment v = (MemorySegment) linker.downcallHandle(lookup.find("tessera_embree_version").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS)).invokeExact();
            String version = v.reinterpret(64).getString(0);
            MethodHandle scene = linker.downcallHandle(lookup.find("tessera_embree_scene").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
            MethodHandle free = linker.downcallHandle(lookup.find("tessera_embree_free").orElseThrow(),
                    FunctionDescriptor.ofVoid(ADDRESS));
            MethodHandle render = linker.downcallHandle(lookup.find("tessera_embree_render").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
            return Optional.of(new EmbreeKernel(scene, free, render, version));
        } catch (Throwable e) {
            why.append("cannot load the Embree kernel: ").append(e);
            return Optional.empty();
        }
    }

    /** The Embree version the library was built against. */
    String embreeVersion() {
        return version;
    }

    @Override
    public String name() {
        return "embree";
    }

    @Override
    public String description() {
        return "embree (Intel Embree " + version + ", single precision, packets of 4 rays)";
    }

    /** The Embree scene of a packed scene, built once and released when the packed scene is collected. */
    private MemorySegment embreeScene(PackedScene scene) {
        Object copy = scene.embreeCopy;
        if (copy == null) {
            synchronized (scene) {
                copy = scene.embreeCopy;
                if (copy == null) {
                    MemorySegment handle;
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment d = arena.allocate(JAVA_DOUBLE, Math.max(1, scene.d.length));
                        MemorySegment.copy(scene.d, 0, d, JAVA_DOUBLE, 0, scene.d.length);
                        MemorySegment i = arena.allocate(JAVA_INT, Math.max(1, scene.i.length));
                        MemorySegment.copy(scene.i, 0, i, JAVA_INT, 0, scene.i.length);
                        handle = (MemorySegment) newScene.invokeExact(d, i, buildThreads);
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable e) {
                        throw new IllegalStateException("Embree scene build failed", e);
                    }
                    if (handle.equals(MemorySegment.NULL)) {
                        throw new IllegalStateException("Embree could not build the scene");
                    }
                    MethodHandle free = freeScene;
                    // the auto arena lives as long as the segment, which lives as long as the packed scene
                    copy = handle.reinterpret(0, Arena.ofAuto(), seg -> {
                        try {
                            free.invokeExact(seg);
                        } catch (Throwable e) {
                            // nothing to do in a cleaner
                        }
                    });
                    scene.embreeCopy = copy;
                }
            }
        }
        return (MemorySegment) copy;
    }

    @Override
    public void render(PackedScene scene, int x0, int y0, int w, int h, int aa, short[] out) {
        MemorySegment es = embreeScene(scene);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pixels = arena.allocate(JAVA_SHORT, (long) w * h * 3);
            int rc = (int) renderTile.invokeExact(es, x0, y0, w, h, aa, pixels);
            if (rc != 0) {
                throw new IllegalStateException("Embree kernel failed with code " + rc);
            }
            MemorySegment.copy(pixels, JAVA_SHORT, 0, out, 0, w * h * 3);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Embree kernel call failed", e);
        }
    }
}
