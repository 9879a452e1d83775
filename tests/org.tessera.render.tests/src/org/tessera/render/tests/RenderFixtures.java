// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.tessera.internal.render.core.PngImage;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.TileRenderer;
import org.tessera.testing.OsgiServices;

/** Shared helpers: the real services, example scenes copied out of the raytracer bundle, image comparison. */
final class RenderFixtures {
    static final Path POVRAY_SCENES = Path.of("/usr/share/povray-3.7/scenes");

    private RenderFixtures() {
    }

    static TileRenderer renderer() {
        return OsgiServices.get(TileRenderer.class);
    }

    /** The named engine, waiting for DS to bind it. */
    static RenderEngine engine(String name) {
        TileRenderer r = renderer();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            var e = r.engine(name);
            if (e.isPresent()) {
                return e.get();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        return fail("engine " + name + " not registered; have " + r.engines());
    }

    /** Copies the raytracer bundle's example scenes into {@code dir}. */
    static Path exampleScenes(Path dir) {
        Bundle raytracer = FrameworkUtil.getBundle(org.tessera.render.raytracer.RaytracerScenes.class);
        Enumeration<URL> urls = raytracer.findEntries("scenes", "*", false);
        if (urls == null) {
            fail("no scenes/ in " + raytracer.getSymbolicName());
        }
        try {
            Files.createDirectories(dir);
            while (urls.hasMoreElements()) {
                URL u = urls.nextElement();
                String name = u.getPath().substring(u.getPath().lastIndexOf('/') + 1);
                if (!name.isEmpty()) {
                    try (InputStream in = u.openStream()) {
                        Files.copy(in, dir.resolve(name));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static void assertSameSize(PngImage a, PngImage b) {
        assertEquals(a.width(), b.width(), "width");
        assertEquals(a.height(), b.height(), "height");
    }

    /** Largest difference of any sample, 0..65535. */
    static int maxDifference(short[] a, short[] b) {
        assertEquals(a.length, b.length, "sample count");
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xFFFF) - (b[i] & 0xFFFF)));
        }
        return max;
    }

    /** Peak signal-to-noise ratio in dB over 16-bit samples; infinity when identical. */
    static double psnr(short[] a, short[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xFFFF) - (b[i] & 0xFFFF);
            sum += d * d;
        }
        if (sum == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double mse = sum / a.length;
        return 10 * Math.log10(65535.0 * 65535.0 / mse);
    }
}
