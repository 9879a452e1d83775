// SPDX-License-Identifier: EPL-2.0
package org.tessera.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real {@code tessera <verb>} process started from the materialized headless product (the
 * build materializes it before the test bundles run). Output goes to a log file, so a test can wait
 * for a line and show the whole log when something fails.
 */
public final class TesseraProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final List<String> command;
    private final Path tempDir;

    private TesseraProcess(Process process, Path log, List<String> command, Path tempDir) {
        this.process = process;
        this.log = log;
        this.command = command;
        this.tempDir = tempDir;
    }

    /** Folder of the materialized headless product. */
    public static Path productHome() {
        String home = System.getProperty("tessera.product.headless");
        assertTrue(home != null && Files.isDirectory(Path.of(home)),
                "headless product not materialized at " + home + " (run the whole reactor: ./mvnw verify)");
        return Path.of(home);
    }

    /** The equinox launcher jar inside the product. */
    public static Path launcherJar() {
        return launcherJar(productHome());
    }

    /** The equinox launcher jar inside a materialized product. */
    public static Path launcherJar(Path product) {
        try (var files = Files.list(product.resolve("plugins"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("org.eclipse.equinox.launcher_"))
                    .findFirst().orElseThrow(() -> new AssertionError("no equinox launcher in the product"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The java binary running the tests (JDK 25). */
    public static String java() {
        return System.getProperty("tessera.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Command line for {@code tessera args...} with a private workspace under {@code work}. */
    public static List<String> command(Path work, String... args) {
        return command(productHome(), List.of("-Xmx512m"), work, args);
    }

    /**
     * Command line for a product with JVM options {@code vmArgs} and a private workspace under {@code work}.
     * The process's {@code java.io.tmpdir} is {@code work/tmp} (a {@code -Djava.io.tmpdir} in {@code vmArgs}
     * wins), so what it leaves there, even when killed, goes with the test's folder and not to /tmp;
     * {@link #start} creates that folder, a caller running the command itself must create it.
     */
    public static List<String> command(Path product, List<String> vmArgs, Path work, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.add("-Djava.io.tmpdir=" + tempDir(work));
        cmd.addAll(vmArgs);
        Path logging = product.resolve("logging.properties");
        if (Files.exists(logging)) {
            cmd.add("-Djava.util.logging.config.file=" + logging);
        }
        cmd.add("-jar");
        cmd.add(launcherJar(product).toString());
        cmd.add("-data");
        cmd.add(work.resolve("workspace").toString());
        cmd.add("-configuration");
        cmd.add(work.resolve("configuration").toString());
        cmd.add("-consoleLog");
        for (String a : args) {
            cmd.add(a);
        }
        return cmd;
    }

    private static Path tempDir(Path work) {
        return work.resolve("tmp");
    }

    /**
     * Starts {@code tessera args...} with its own workspace, configuration area and temporary folder
     * under {@code work/<name>}. Stdout and stderr go to {@code work/<name>.log}.
     */
    public static TesseraProcess start(Path work, String name, String... args) {
        return start(productHome(), List.of("-Xmx512m"), work, name, args);
    }

    /**
     * Starts a materialized product (the headless one, or the workbench) with JVM options
     * {@code vmArgs}, its own workspace, configuration area and temporary folder ({@link #tempDir()})
     * under {@code work/<name>}; output goes to {@code work/<name>.log}.
     */
    public static TesseraProcess start(Path product, List<String> vmArgs, Path work, String name, String... args) {
        return start(product, vmArgs, java.util.Map.of(), work, name, args);
    }

    /** {@link #start(Path, List, Path, String, String...)} with more environment variables for the process. */
    public static TesseraProcess start(Path product, List<String> vmArgs, java.util.Map<String, String> env, Path work,
            String name, String... args) {
        try {
            Files.createDirectories(work);
            Path log = work.resolve(name + ".log");
            List<String> cmd = command(product, vmArgs, work.resolve(name), args);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            // the configuration area starts from the product's own config.ini
            Path config = work.resolve(name).resolve("configuration");
            Files.createDirectories(config);
            Path tmp = Files.createDirectories(tempDir(work.resolve(name)));
            Files.copy(product.resolve("configuration/config.ini"), config.resolve("config.ini"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path bundlesInfo = product.resolve("configuration/org.eclipse.equinox.simpleconfigurator/bundles.info");
            Files.createDirectories(config.resolve("org.eclipse.equinox.simpleconfigurator"));
            String info = Files.readString(bundlesInfo).replace(",plugins/", "," + product.resolve("plugins") + "/");
            Files.writeString(config.resolve("org.eclipse.equinox.simpleconfigurator/bundles.info"), info);
            String ini = Files.readString(config.resolve("config.ini"))
                    .replace("osgi.framework=file\\:plugins/", "osgi.framework=file\\:" + product.resolve("plugins") + "/");
            Files.writeString(config.resolve("config.ini"), ini);
            return new TesseraProcess(pb.start(), log, cmd, tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code tessera args...} to completion; returns exit code and output. */
    public static Result run(Path work, Duration timeout, String... args) {
        return run(work, timeout, java.util.Map.of(), args);
    }

    /** {@link #run(Path, Duration, String...)} with more environment variables for the process. */
    public static Result run(Path work, Duration timeout, java.util.Map<String, String> env, String... args) {
        try (TesseraProcess p = start(productHome(), List.of("-Xmx512m"), env, work, "run-" + System.nanoTime(), args)) {
            boolean done = p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                throw new AssertionError("tessera " + String.join(" ", args) + " did not finish in " + timeout
                        + "\n" + p.output());
            }
            return new Result(p.process.exitValue(), p.output());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Exit code and combined output of a finished run. */
    public record Result(int exitCode, String output) {
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * The process's {@code java.io.tmpdir} (unless the test's JVM options name another): what the
     * product puts in "/tmp" lands here, so a test can check that a stopped process left nothing.
     */
    public Path tempDir() {
        return tempDir;
    }

    /** Everything the process printed so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Waits until a printed line matches, or fails with the output so far. */
    public String awaitLine(Predicate<String> matcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : output().split("\n")) {
                if (matcher.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("process exited with " + process.exitValue() + " before the expected line: "
                        + command + "\n" + output());
            }
            sleep(50);
        }
        throw new AssertionError("no expected line within " + timeout + ": " + command + "\n" + output());
    }

    /** kill -9. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    /** Ports {@link #freePort} handed out in this JVM: never twice. */
    private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A TCP port free on loopback right now, for a server a test starts later. It is taken below Linux's
     * ephemeral range (32768-60999): a port the OS picked (port 0) could be handed to an outgoing connection or
     * to a server started with port 0 before the test's server binds it; below that range only explicit binds
     * compete, and this JVM never hands out the same port twice.
     */
    public static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(20_000, 32_000);
            if (!GIVEN.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
