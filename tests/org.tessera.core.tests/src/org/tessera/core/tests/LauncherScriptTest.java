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
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher did not finish");
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

    @Test
    void saysClearlyWhenNoSuitableJdkExists() throws Exception {
        Path emptyJvmRoot = Files.createDirectories(home.resolve("jvm"));
        Run r = launch(Map.of("TESSERA_JVM_ROOT", emptyJvmRoot.toString(), "JAVA_HOME", "/nonexistent"), "version");
        assertEquals(3, r.exitCode(), r.output());
        assertTrue(r.output().contains("needs a JDK 25 or newer"), r.output());
    }
}
