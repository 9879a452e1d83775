// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.cloud.core.EnvoyClient;
import org.tessera.cloud.core.Job;
import org.tessera.cloud.core.Project;
import org.tessera.cloud.core.ProjectStatus;
import org.tessera.cloud.core.WatchFile;
import org.tessera.testing.TesseraProcess;

/**
 * An Envoy submission with {@code app: blender} through Tessera's Java client to a real
 * {@code tessera gateway serve} process: the gateway offers product {@code blender} with the installed
 * Blender's own version, renders the job's frames split over 2 instances at the scene's own size and depth
 * (Envoy's blender product has no size parameters), and the frames delivered to the watch folder are
 * pixel-identical to plain {@code blender -b shot.blend -f N} renders. The scene is made by
 * Blender's own Python ({@code tests/org.tessera.render.tests/blender/make_scene.py}).
 */
class BlenderGatewayTest {
    static final String USER = "blender-artist@example.com";

    @TempDir
    static Path work;
    static GatewayProcess served;
    static TesseraProcess gateway;
    static URI url;
    static String key;

    @BeforeAll
    static void startGateway() throws IOException {
        served = GatewayProcess.start(work, USER);
        gateway = served.process();
        url = served.url();
        key = served.key();
    }

    @AfterAll
    static void stopGateway() {
        if (served != null) {
            served.close();
        }
    }

    @Test
    void blenderJobGivesThePlainBlenderFrames() throws Exception {
        Path root = Files.createDirectories(work.resolve("projects/bl-project"));
        Path blend = root.resolve("shot.blend");
        Path script = Path.of(System.getProperty("tessera.repo.root"), "tests/org.tessera.render.tests/blender/make_scene.py");
        blender("-b", "--factory-startup", "--python", script.toString(), "--", blend.toString(), "anim", "96", "72", "16");
        assertTrue(Files.isRegularFile(root.resolve("tex.png")), "the scene's texture file next to it");
        Path downloads = work.resolve("downloads");
        try (EnvoyClient c = new EnvoyClient(url)) {
            c.authenticate(USER, key);
            List<String> versions = c.getProductResolver().getVersionsByType("blender");
            assertEquals(List.of(blenderVersion()), versions, "product blender with Blender's own version");
            Project p = new Project(root, null, "take1", null).addAllFiles();
            Job j = new Job("shot", "blender", versions.get(0), "render", "bl-project/shot.blend").setFrames("1 2")
                    .setInstances(2);
            // Envoy's blender product has no size parameters: the scene's own 96x72 16-bit PNG output rules
            p.addJobs(j);
            p.addWatchFiles(new WatchFile(".*/render_results/take1/.+\\.png", downloads));
            String name = c.submitProject(p);
            ProjectStatus s = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (System.nanoTime() < deadline && !(s = c.getProjectStatus(name)).isFinished()) {
                Thread.sleep(100);
            }
            assertTrue(s != null && s.isFinished(), "the project did not finish: " + s + "\n" + gateway.output());
            assertEquals("Completed", s.state(), s + "\n" + gateway.output());
        }
        for (int f = 1; f <= 2; f++) {
            Path got = downloads.resolve("shot").resolve(String.format("frame_%04d.png", f));
            assertTrue(Files.isRegularFile(got), "downloaded " + got);
            Path ref = work.resolve("ref");
            blender("-b", blend.toString(), "-o", ref.resolve("ref_####").toString(), "-f", String.valueOf(f));
            assertSamePixels(ref.resolve(String.format("ref_%04d.png", f)), got);
        }
    }

    /** Same size, same channels, same 16-bit samples. */
    static void assertSamePixels(Path expected, Path actual) throws IOException {
        BufferedImage a = ImageIO.read(expected.toFile());
        BufferedImage b = ImageIO.read(actual.toFile());
        assertEquals(List.of(a.getWidth(), a.getHeight(), a.getRaster().getNumBands(), a.getSampleModel().getSampleSize(0)),
                List.of(b.getWidth(), b.getHeight(), b.getRaster().getNumBands(), b.getSampleModel().getSampleSize(0)),
                actual + ": width, height, channels, bits");
        assertArrayEquals(a.getRaster().getPixels(0, 0, a.getWidth(), a.getHeight(), (int[]) null),
                b.getRaster().getPixels(0, 0, b.getWidth(), b.getHeight(), (int[]) null), actual + " vs plain blender");
    }

    static String blenderVersion() throws Exception {
        Matcher m = Pattern.compile("Blender (\\d+\\.\\d+(?:\\.\\d+)?)").matcher(blender("--version"));
        assertTrue(m.find());
        return m.group(1);
    }

    /** Runs {@code blender args} with HOME and TMPDIR in the test's folder; its output. */
    static String blender(String... args) throws Exception {
        Path home = Files.createDirectories(work.resolve("blender-home"));
        List<String> cmd = new ArrayList<>(List.of("blender"));
        cmd.addAll(List.of(args));
        if (cmd.contains("-b")) {
            cmd.add(cmd.indexOf("-b") + 1, "-noaudio");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(home.toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("TMPDIR", home.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "blender " + cmd + " did not finish");
        assertEquals(0, p.exitValue(), "blender " + cmd + ":\n" + out);
        return out;
    }
}
