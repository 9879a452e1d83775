// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.core.FrameRange;
import org.tessera.testing.TesseraProcess;
import org.tessera.testing.TesseraProcess.Result;

/** The headless product as a user runs it: a real process, real exit codes. */
class CliProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void framesExpandsTheExpression() {
        Result r = TesseraProcess.run(work, TIMEOUT, "frames", "1 10 2,20");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals("1\n3\n5\n7\n9\n20\n", r.output().replace("\r", ""));
    }

    @Test
    void badFramesExitNonZeroNamingProblemAndGrammar() {
        Result r = TesseraProcess.run(work, TIMEOUT, "frames", "x");
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("\"x\" is not a whole number"), r.output());
        assertTrue(r.output().contains(FrameRange.GRAMMAR), r.output());
    }

    @Test
    void countAndCanonical() {
        assertEquals("6", TesseraProcess.run(work, TIMEOUT, "frames", "--count", "1 10 2,20").output().trim());
        assertEquals("1 10 2,20", TesseraProcess.run(work, TIMEOUT, "frames", "--canonical", " 1 10 2 , 20 ").output().trim());
    }

    @Test
    void helpListsVerbsAndUnknownVerbIsAUsageError() {
        Result help = TesseraProcess.run(work, TIMEOUT, "help");
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().contains("frames") && help.output().contains("version"), help.output());
        Result verbHelp = TesseraProcess.run(work, TIMEOUT, "frames", "--help");
        assertTrue(verbHelp.output().contains("Grammar: " + FrameRange.GRAMMAR), verbHelp.output());
        Result unknown = TesseraProcess.run(work, TIMEOUT, "renderr");
        assertEquals(2, unknown.exitCode(), unknown.output());
        assertTrue(unknown.output().contains("unknown command 'renderr'"), unknown.output());
    }

    /** A server verb starts without logging-framework noise: slf4j finds its provider through SPI Fly. */
    @Test
    void serversStartWithoutLoggingNoise() {
        try (TesseraProcess tracker = TesseraProcess.start(work, "tracker", "tracker", "serve", "--port", "0",
                "--db", work.resolve("tracker-db").toString())) {
            tracker.awaitLine(l -> l.startsWith("Tracker listening on http://127.0.0.1:"), TIMEOUT);
            assertTrue(!tracker.output().contains("SLF4J"), tracker.output());
        }
    }

    @Test
    void versionNamesTesseraAndJava() {
        Result r = TesseraProcess.run(work, TIMEOUT, "version");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().startsWith("Tessera 0.1.0."), r.output());
        assertTrue(r.output().contains("Java " + Runtime.version().feature()), r.output());
    }
}
