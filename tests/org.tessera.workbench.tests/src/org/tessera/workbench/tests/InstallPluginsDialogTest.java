// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.testing.TesseraProcess;
import org.tessera.testing.TestFiles;

/**
 * Help &gt; Install Plugins... inside the running workbench product: a copy of the materialized product
 * starts with the dialog's self-test, which opens the dialog through the Help menu's command, is refused
 * a folder that is no repository, adds the build's own p2 repository (a folder), installs the two example features, then, without a restart,
 * renders with the example engine and opens the example view, and uninstalls both again. The report the
 * product writes is checked line by line, and the copy's configuration afterwards.
 */
class InstallPluginsDialogTest {
    @TempDir
    Path tmp;

    @Test
    void installsTheExampleFeaturesUsesThemAndUninstallsWithoutARestart() throws Exception {
        UiTestSupport.display();
        Path copy = tmp.resolve("tessera-workbench");
        TestFiles.copyTree(WorkbenchProductTest.product(), copy);
        Path repository = Path.of(System.getProperty("tessera.repo.root"), "releng/org.tessera.repository/target/repository");
        assertTrue(Files.isRegularFile(repository.resolve("content.xml")) || Files.isRegularFile(repository.resolve("content.jar")),
                "the build's p2 repository is missing at " + repository);
        Path scene = Files.writeString(tmp.resolve("board.checker"), "cell=16\n");
        Path report = tmp.resolve("plugins-report.txt");

        // the copy runs from its own configuration area, as `tessera workbench` does, so p2 changes its profile
        List<String> cmd = new ArrayList<>(List.of(TesseraProcess.java(), "-Xmx1g",
                "-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("proc-tmp")),
                "-Dtessera.plugins.selfTest=" + repository, "-Dtessera.plugins.selfTest.scene=" + scene,
                "-Dtessera.plugins.selfTest.report=" + report, "-Dtessera.secure.folder=" + tmp.resolve("secure"),
                "-jar", TesseraProcess.launcherJar(copy).toString(), "-data", tmp.resolve("workspace").toString(),
                "-consoleLog"));
        Path log = tmp.resolve("workbench.log");
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        try {
            assertTrue(p.waitFor(420, TimeUnit.SECONDS), "the self-test did not close the workbench\n" + Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(Files.exists(report), "no report\n" + out);
        List<String> lines = Files.readAllLines(report);
        String all = String.join("\n", lines) + "\n---\n" + out;
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("error=")), all);

        assertEquals("menu=org.tessera.workbench.menu.help/&Install Plugins...", line(lines, "menu="), all);
        // a folder that is no p2 repository is refused with a message, and the dialog goes on working
        assertTrue(line(lines, "badRepository=").startsWith("badRepository=no p2 repository at "
                + repository.resolve("plugins").toAbsolutePath().normalize().toUri()), all);
        List<String> available = Arrays.asList(line(lines, "available=").substring("available=".length()).split(","));
        assertTrue(available.containsAll(List.of("org.tessera.examples.feature", "org.tessera.examples.ui.feature")), all);

        assertTrue(line(lines, "install=").startsWith(
                "install=Installed org.tessera.examples.feature, org.tessera.examples.ui.feature: applied without a restart"), all);
        assertEquals("installRestart=false", line(lines, "installRestart="), all);
        assertTrue(Arrays.asList(line(lines, "engines=").substring("engines=".length()).split(",")).contains("checker"), all);
        List<String> pixels = Arrays.asList(line(lines, "pixels=").substring("pixels=".length()).split(","));
        assertEquals(12, pixels.size(), all);
        assertEquals(pixels.get(0), pixels.get(1), "pixels 0 and 8 lie in the first 16-pixel cell: " + pixels);
        assertNotEquals(pixels.get(0), pixels.get(2), "pixel 16 lies in the next cell, a checkerboard: " + pixels);
        assertEquals("descriptor=present", line(lines, "descriptor="), all);
        assertEquals("view=org.tessera.examples.checker.ui.CheckerPart shown", line(lines, "view="), all);
        List<String> installed = Arrays.asList(line(lines, "installed=").substring("installed=".length()).split(","));
        assertTrue(installed.containsAll(List.of("org.tessera.examples.feature", "org.tessera.examples.ui.feature")), all);

        assertTrue(line(lines, "uninstall=").startsWith(
                "uninstall=Uninstalled org.tessera.examples.feature, org.tessera.examples.ui.feature: applied without a restart"), all);
        assertEquals("uninstallRestart=false", line(lines, "uninstallRestart="), all);
        assertFalse(line(lines, "enginesAfter=").contains("checker"), all);
        assertEquals("descriptorAfter=absent", line(lines, "descriptorAfter="), all);

        // and the product's own configuration no longer lists the example bundles
        String bundles = Files.readString(copy.resolve("configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"));
        assertFalse(bundles.contains("org.tessera.examples"), bundles);
        assertTrue(bundles.contains("org.tessera.plugins.ui"), "the dialog's own bundle stays");
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no " + prefix + " line)");
    }
}
