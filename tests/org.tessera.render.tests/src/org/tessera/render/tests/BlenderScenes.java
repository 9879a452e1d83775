// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.tessera.internal.render.core.PngImage;

/**
 * Blender test scenes made by Blender's own Python ({@code blender/make_scene.py} of this bundle; no binary
 * {@code .blend} is committed), and the reference: a plain {@code blender -b scene.blend -o … -f N}.
 */
final class BlenderScenes {
    private BlenderScenes() {
    }

    /**
     * Makes scene {@code kind} ({@code plain}, {@code anim}, {@code composite}, {@code denoise},
     * {@code eevee}) as {@code dir/<kind>.blend} with its texture file next to it, 96x72, 16 samples.
     */
    static Path make(Path dir, String kind) throws Exception {
        return make(dir, kind, 96, 72, 16);
    }

    static Path make(Path dir, String kind, int width, int height, int samples) throws Exception {
        Files.createDirectories(dir);
        Path script = dir.resolveSibling(dir.getFileName() + "-make_scene.py");
        org.tessera.testing.TestFiles.copyEntry(BlenderScenes.class, "blender/make_scene.py", script);
        Path blend = dir.resolve(kind + ".blend");
        Result r = blender(dir, List.of("-b", "--factory-startup", "--python", script.toString(), "--", blend.toString(),
                kind, String.valueOf(width), String.valueOf(height), String.valueOf(samples)));
        Files.delete(script);
        assertTrue(r.code() == 0 && Files.isRegularFile(blend), "make_scene.py failed:\n" + r.output());
        return blend;
    }

    /** The reference frame: {@code blender -b scene.blend -o <out>/ref_#### -f frame}, nothing else. */
    static PngImage plainRender(Path blend, int frame, Path out) throws Exception {
        Files.createDirectories(out);
        Result r = blender(out, List.of("-b", blend.toString(), "-o", out.resolve("ref_####").toString(), "-f",
                String.valueOf(frame)));
        Path png = out.resolve(String.format("ref_%04d.png", frame));
        assertTrue(r.code() == 0 && Files.exists(png), "plain blender render failed:\n" + r.output());
        return PngImage.read(png);
    }

    record Result(int code, String output) {
    }

    /** Runs {@code blender args} with HOME in {@code home} (Blender writes nothing to the user's home). */
    static Result blender(Path home, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("blender");
        for (String a : args) {
            cmd.add(a);
            if (a.equals("-b")) {
                cmd.add("-noaudio"); // else Blender's audio starts PulseAudio, which leaves /tmp/pulse-* behind
            }
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(home.toFile());
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("blender " + args + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static void assertSameImage(PngImage expected, PngImage actual, String what) {
        assertEquals(expected.width(), actual.width(), what + ": width");
        assertEquals(expected.height(), actual.height(), what + ": height");
        short[] a = expected.rgb();
        short[] b = actual.rgb();
        int differing = 0;
        int first = -1;
        for (int i = 0; i < a.length; i += 3) {
            if (a[i] != b[i] || a[i + 1] != b[i + 1] || a[i + 2] != b[i + 2]) {
                differing++;
                if (first < 0) {
                    first = i / 3;
                }
            }
        }
        if (differing > 0) {
            fail(what + ": " + differing + " of " + a.length / 3 + " pixels differ from the plain blender render, the first at ("
                    + first % expected.width() + ", " + first / expected.width() + ")");
        }
    }
}
