// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * The C kernel (native/tessera_raytracer.c) called through the Foreign Function &amp; Memory API. The
 * library ships in the fragment {@code org.tessera.render.raytracer.linux.x86_64}; it is found with
 * {@link Bundle#findEntries} (which searches fragments), copied to the bundle's data area, and loaded
 * with {@link SymbolLookup#libraryLookup(Path, Arena)}. The system property
 * {@code tessera.native.library} names a library file directly (outside OSGi).
 */
final class NativeKernel implements RaytracerKernel {
    static final String LIBRARY = "libtessera_raytracer.so";
    private static final int ABI = 1;

    private final MethodHandle renderTile;
    private final Path library;

    private NativeKernel(MethodHandle renderTile, Path library) {
        this.renderTile = renderTile;
        this.library = library;
    }

    /** The native kernel, or why it is not available. */
    static Optional<NativeKernel> load(StringBuilder why) {
        try {
            Path lib = locate();
            if (lib == null) {
                why.append("no ").append(LIBRARY).append(" in the fragment org.tessera.render.raytracer.linux.x86_64");
                return Optional.empty();
            }
            Linker linker = Linker.nativeLinker();
            SymbolLookup lookup = SymbolLookup.libraryLookup(lib, Arena.global());
            MethodHandle abi = linker.downcallHandle(lookup.find("tessera_raytracer_abi").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT));
            int version = (int) abi.invokeExact();
            if (version != ABI) {
                why.append(lib).append(" has layout version ").append(version).append(", expected ").append(ABI);
                return Optional.empty();
            }
            MethodHandle render = linker.downcallHandle(lookup.find("tessera_render_tile").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                            ADDRESS));
            return Optional.of(new NativeKernel(render, lib));
        } catch (Throwable e) {
            why.append("cannot load the native kernel: ").append(e);
            return Optional.empty();
        }
    }

    private static Path locate() throws IOException {
        return locate(LIBRARY, "tessera.native.library");
    }

    /**
     * The library {@code name} of the fragment, copied to the bundle's data area (a fresh name per process),
     * or the file the system property {@code property} names; null when neither exists.
     */
    static Path locate(String name, String property) throws IOException {
        String explicit = System.getProperty(property);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Bundle bundle = FrameworkUtil.getBundle(NativeKernel.class);
        if (bundle == null) {
            return null;
        }
        Enumeration<URL> found = bundle.findEntries("native", name, false);
        if (found == null || !found.hasMoreElements()) {
            return null;
        }
        URL url = found.nextElement();
        java.io.File data = bundle.getDataFile("native");
        Path dir;
        if (data != null) {
            dir = Files.createDirectories(data.toPath());
        } else {
            dir = Files.createTempDirectory("tessera-native");
            // registered before the library: deleteOnExit removes in reverse order, the library first
            dir.toFile().deleteOnExit();
        }
        Path tmp = Files.createTempFile(dir, "lib", ".part");
        try (InputStream in = url.openStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        // a fresh name per copy: a library already loaded by another framework instance stays untouched
        String stem = name.replaceFirst("^lib", "").replaceFirst("\\.so$", "");
        Path target = dir.resolve(stem + "-" + ProcessHandle.current().pid() + ".so");
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        target.toFile().deleteOnExit();
        return target;
    }

    Path library() {
        return library;
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public String description() {
        return "native (C twin of the Java kernel, double precision)";
    }

    /** The scene arrays in native memory, copied once per packed scene and freed with it (GC). */
    private record NativeScene(MemorySegment d, MemorySegment i) {
    }

    private NativeScene nativeScene(PackedScene scene) {
        Object copy = scene.nativeCopy;
        if (copy == null) {
            synchronized (scene) {
                copy = scene.nativeCopy;
                if (copy == null) {
                    Arena arena = Arena.ofAuto();
                    MemorySegment d = arena.allocate(JAVA_DOUBLE, Math.max(1, scene.d.length));
                    MemorySegment.copy(scene.d, 0, d, JAVA_DOUBLE, 0, scene.d.length);
                    MemorySegment i = arena.allocate(JAVA_INT, Math.max(1, scene.i.length));
                    MemorySegment.copy(scene.i, 0, i, JAVA_INT, 0, scene.i.length);
                    copy = new NativeScene(d, i);
                    scene.nativeCopy = copy;
                }
            }
        }
        return (NativeScene) copy;
    }

    @Override
    public void render(PackedScene scene, int x0, int y0, int w, int h, int aa, short[] out) {
        NativeScene ns = nativeScene(scene);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pixels = arena.allocate(JAVA_SHORT, (long) w * h * 3);
            int rc = (int) renderTile.invokeExact(ns.d(), ns.i(), x0, y0, w, h, aa, pixels);
            if (rc != 0) {
                throw new IllegalStateException("native kernel failed with code " + rc);
            }
            MemorySegment.copy(pixels, JAVA_SHORT, 0, out, 0, w * h * 3);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("native kernel call failed", e);
        }
    }
}
