// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.testing.TesseraProcess;

/**
 * The materialized workbench product, started as a real process under the test's X display: the
 * application model with every area's fragment merged, the first window, and a clean exit.
 */
class WorkbenchProductTest {
    @TempDir
    Path tmp;

    static Path product() {
        Path p = Path.of(System.getProperty("tessera.product.workbench", "missing"));
        assertTrue(Files.isDirectory(p), "workbench product not materialized at " + p + " (run the whole reactor)");
        return p;
    }

    @Test
    void startsWithEveryContributedViewAndExits() throws Exception {
        UiTestSupport.display(); // makes sure an X server answers (our own Xvfb when DISPLAY was unset)
        Path report = tmp.resolve("report.txt");
        Path stats = SampleFarm.write(tmp.resolve("stats"));
        // the stats folder is a preference, which the workbench writes into the recorder's configuration
        Path settings = Files.createDirectories(
                tmp.resolve("workbench/workspace/.metadata/.plugins/org.eclipse.core.runtime/.settings"));
        Files.writeString(settings.resolve("org.tessera.workbench.prefs"),
                "eclipse.preferences.version=1\nstats.folder=" + stats.toString().replace("\\", "\\\\").replace(":", "\\:") + "\n");
        try (TesseraProcess p = TesseraProcess.start(product(), List.of("-Xmx1g", "-Dtessera.workbench.report=" + report,
                "-Dtessera.workbench.exitAfterStart=true",
                "-Dtessera.secure.folder=" + tmp.resolve("secure")), tmp, "workbench")) {
            boolean exited = p.process().waitFor(120, TimeUnit.SECONDS);
            assertTrue(exited, "the workbench did not close by itself\n" + p.output());
            String out = p.output();
            assertEquals(0, p.process().exitValue(), out);
            Matcher m = Pattern.compile("first window after (\\d+) ms").matcher(out);
            assertTrue(m.find(), out);
            assertTrue(Long.parseLong(m.group(1)) < 60_000, "start took " + m.group(1) + " ms");
            assertFalse(out.contains("at org.tessera."), "no stack trace from Tessera code:\n" + out);
            List<String> lines = Files.readAllLines(report);
            for (String part : List.of("org.tessera.workbench.part.welcome", "org.tessera.workbench.part.progress",
                    "org.tessera.stats.ui.part.stats")) {
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("part=" + part + " ")), part + " in\n" + lines);
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("descriptor=" + part + " ")), part + " descriptor in\n" + lines);
            }
            assertTrue(lines.contains("part=org.tessera.workbench.part.progress rendered=true label=Progress"), lines.toString());
        }
    }

    /**
     * install -> use -> uninstall in the workbench: the example features go from the build's p2
     * repository into a copy of the workbench product with {@code tessera plugins install}; the copy's
     * Render view then offers the example's "checker" engine and renders a checkerboard with it (the
     * view's documented self-test), and its view is merged into the model; after {@code tessera plugins
     * uninstall} both are gone.
     */
    @Test
    void exampleEngineInstallsIntoTheWorkbenchRendersThereAndUninstalls() throws Exception {
        UiTestSupport.display();
        Path copy = tmp.resolve("tessera-workbench");
        org.tessera.testing.TestFiles.copyTree(product(), copy);
        Path scene = Files.writeString(tmp.resolve("board.checker"), "cell=16\n");
        String[] features = { "org.tessera.examples.feature", "org.tessera.examples.ui.feature" };

        String installed = script("plugins", "install", features[0], features[1], "--product", copy.toString());
        assertTrue(installed.contains("Operation completed"), installed);
        List<String> with = selfTest(copy, scene, "with");
        assertTrue(line(with, "engines=").contains("checker"), with.toString());
        assertTrue(line(with, "result=").startsWith("result=FINISHED: 1 frame(s) written"), with.toString());
        assertTrue(line(with, "workers=").startsWith("workers=local-"), with.toString());
        List<String> pixels = Arrays.asList(line(with, "pixels=").substring("pixels=".length()).split(","));
        assertEquals(12, pixels.size(), with.toString());
        assertEquals(pixels.get(0), pixels.get(1), "pixels 0 and 8 lie in the first 16-pixel cell");
        assertNotEquals(pixels.get(0), pixels.get(2), "pixel 16 lies in the next cell: a checkerboard, " + pixels);
        assertTrue(Files.size(tmp.resolve("render/board.0001.png")) > 0, "the frame file was written");
        assertTrue(with.stream().anyMatch(l -> l.startsWith("descriptor=org.tessera.examples.checker.ui.part ")), with.toString());

        String removed = script("plugins", "uninstall", features[0], features[1], "--product", copy.toString());
        assertTrue(removed.contains("Operation completed"), removed);
        List<String> without = selfTest(copy, scene, "without");
        assertFalse(line(without, "engines=").contains("checker"), without.toString());
        assertEquals("result=NO_ENGINE checker", line(without, "result="));
        assertFalse(without.stream().anyMatch(l -> l.contains("org.tessera.examples.checker.ui.part")), without.toString());
    }

    /** Starts the product copy with the Render view's self-test; returns its report and the model report. */
    private List<String> selfTest(Path product, Path scene, String name) throws Exception {
        Path report = tmp.resolve(name + "-render.txt");
        Path model = tmp.resolve(name + "-model.txt");
        try (TesseraProcess p = TesseraProcess.start(product, List.of("-Xmx1g", "-Dtessera.render.selfTest=" + scene,
                "-Dtessera.render.selfTest.engine=checker", "-Dtessera.render.selfTest.report=" + report,
                "-Dtessera.workbench.activate=org.tessera.render.ui.part.render", "-Dtessera.workbench.report=" + model,
                "-Dtessera.secure.folder=" + tmp.resolve("secure")), tmp.resolve(name), "workbench")) {
            assertTrue(p.process().waitFor(180, TimeUnit.SECONDS), "the self-test did not close the workbench\n" + p.output());
            assertEquals(0, p.process().exitValue(), p.output());
            assertTrue(Files.exists(report), "no self-test report\n" + p.output());
            List<String> lines = new java.util.ArrayList<>(Files.readAllLines(report));
            lines.addAll(Files.readAllLines(model));
            return lines;
        }
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no " + prefix + " line)");
    }

    /** Runs the repository's launcher script ({@code ./tessera args...}) on the built products. */
    private String script(String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("tessera.repo.root"));
        List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve("tessera").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(tmp.toFile());
        pb.environment().put("TESSERA_HOME", tmp.resolve("state").toString());
        pb.environment().put("TESSERA_NO_BUILD", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "launcher did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
