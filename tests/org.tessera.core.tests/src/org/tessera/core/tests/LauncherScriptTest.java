// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./tessera launcher script at the repository root, run as a user runs it. */
class LauncherScriptTest {

    @TempDir
    Path home;

    private record Run(int exitCode, String output) {
    }

    private Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("tessera.repo.root"));
        var cmd = new java.util.ArrayList<String>();
        cmd.add(root.resolve("tessera").toString());
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(home.toFile());
        pb.environment().put("TESSERA_HOME", home.resolve("state").toString());
        pb.environment().put("TESSERA_NO_BUILD", "1"); // the reactor already built the products
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher did not finish");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void runsAVerbOnTheHeadlessProduct() throws Exception {
        Run r = launch(Map.of(), "frames", "1 10 2,20");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals("1\n3\n5\n7\n9\n20\n", r.output());
        assertTrue(Files.isDirectory(home.resolve("state/workspace")), "private workspace under TESSERA_HOME");
    }

    @Test
    void badInputExitsNonZero() throws Exception {
        Run r = launch(Map.of(), "frames", "x");
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("is not a whole number"), r.output());
    }

    /**
     * The example plugin (examples/, published in the build's p2 repository) installs into a copy of
     * the headless product with the p2 director, adds its command, and uninstalling removes it.
     */
    @Test
    void examplePluginInstallsFromTheP2RepositoryAndUninstalls() throws Exception {
        Path product = home.resolve("product");
        org.tessera.testing.TestFiles.copyTree(org.tessera.testing.TesseraProcess.productHome(), product);
        Map<String, String> onCopy = Map.of("TESSERA_PRODUCT", product.toString());

        Run before = launch(onCopy, "checker", "--out", "x.png");
        assertEquals(2, before.exitCode(), "the example command must not exist before install: " + before.output());

        Run install = launch(Map.of(), "plugins", "install", "org.tessera.examples.feature", "--product", product.toString());
        assertEquals(0, install.exitCode(), install.output());
        Run list = launch(Map.of(), "plugins", "list", "--product", product.toString());
        assertTrue(list.output().contains("org.tessera.examples.feature.feature.group/"), list.output());

        Run use = launch(onCopy, "checker", "--size", "64x48", "--cell", "16", "--out", "checker.png");
        assertEquals(0, use.exitCode(), use.output());
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(home.resolve("checker.png").toFile());
        assertEquals(64, image.getWidth());
        assertEquals(48, image.getHeight());
        assertTrue((image.getRGB(0, 0) & 0xFFFFFF) != (image.getRGB(16, 0) & 0xFFFFFF), "neighbouring squares differ");

        // its render engine is picked up by the tile renderer like the built-in ones
        Files.writeString(home.resolve("board.checker"), "cell=16\n");
        Run render = launch(onCopy, "render", "board.checker", "--engine", "checker", "--size", "64x48",
                "--frames", "1", "--out", "board_####.png");
        assertEquals(0, render.exitCode(), render.output());
        java.awt.image.BufferedImage board = javax.imageio.ImageIO.read(home.resolve("board_0001.png").toFile());
        assertEquals(64, board.getWidth());
        // frame 1 shifts the board one pixel: x=0 shows square 0 (light), x=15 already square 1 (dark)
        assertEquals(0xE8E8E8, board.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x2E6FBF, board.getRGB(15, 0) & 0xFFFFFF);

        Run uninstall = launch(Map.of(), "plugins", "uninstall", "org.tessera.examples.feature", "--product", product.toString());
        assertEquals(0, uninstall.exitCode(), uninstall.output());
        Run after = launch(onCopy, "checker", "--out", "y.png");
        assertEquals(2, after.exitCode(), "the example command must be gone after uninstall: " + after.output());
        assertTrue(after.output().contains("unknown command 'checker'"), after.output());
        Run renderAfter = launch(onCopy, "render", "board.checker", "--engine", "checker", "--out", "again_####.png");
        assertTrue(renderAfter.exitCode() != 0, "the checker engine must be gone after uninstall: " + renderAfter.output());
    }

    @Test
    void saysClearlyWhenNoSuitableJdkExists() throws Exception {
        Path emptyJvmRoot = Files.createDirectories(home.resolve("jvm"));
        Run r = launch(Map.of("TESSERA_JVM_ROOT", emptyJvmRoot.toString(), "JAVA_HOME", "/nonexistent"), "version");
        assertEquals(3, r.exitCode(), r.output());
        assertTrue(r.output().contains("needs a JDK 25 or newer"), r.output());
    }

    /**
     * {@code tessera test} (the README's test command) checks what the tests need before it runs Maven:
     * with POV-Ray and Blender off the PATH it names both, with their Debian packages and the install
     * line, and exits 3 without installing ({@code --no-install}) or starting a build.
     */
    @Test
    void testCommandNamesMissingPrerequisites() throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        for (String dir : new String[] {"/usr/local/bin", "/usr/bin", "/bin"}) {
            try (var files = Files.list(Path.of(dir))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (!name.equals("povray") && !name.startsWith("blender") && Files.notExists(bin.resolve(name))) {
                        Files.createSymbolicLink(bin.resolve(name), f);
                    }
                }
            }
        }
        Run r = launch(Map.of("PATH", bin.toString()), "test", "--check", "--no-install");
        assertEquals(3, r.exitCode(), r.output());
        assertTrue(r.output().contains("MISSING POV-Ray 3.7 (renderer tests) (Debian package povray)"), r.output());
        assertTrue(r.output().contains("MISSING Blender (Blender engine tests) (Debian package blender)"), r.output());
        assertTrue(r.output().contains("apt-get install -y povray blender"), r.output());
        assertTrue(r.output().contains("found   a C compiler"), r.output());
        assertTrue(!r.output().contains("BUILD"), "no build may start: " + r.output());
    }
}
