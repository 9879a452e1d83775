// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
        try (TesseraProcess p = TesseraProcess.start(product(), List.of("-Xmx1g", "-Dtessera.workbench.report=" + report,
                "-Dtessera.workbench.exitAfterStart=true", "-Dtessera.stats.folder=" + stats,
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
}
