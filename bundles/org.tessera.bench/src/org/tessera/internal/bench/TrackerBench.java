// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.osgi.framework.FrameworkUtil;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;
import org.tessera.internal.tracker.core.RenderTrackerComponent;
import org.tessera.internal.tracker.core.TrackerServer;
import org.tessera.internal.tracker.core.TrackerService;
import org.tessera.internal.tracker.core.XmlRpcCodec;
import org.tessera.internal.tracker.core.XmlRpcFault;
import org.tessera.tracker.core.RenderTrackerClient;

/**
 * {@code tessera tracker bench}: XML-RPC frame updates per second from N concurrent clients and
 * getChangedFrames latency with P projects x F frames, for Tessera's tracker (H2, durable) and, in the
 * same run, a plain Python {@code SimpleXMLRPCServer} stand-in ({@code bench/baseline_tracker.py})
 * doing the same bookkeeping in memory. The same load ({@link BenchLoad}: 8 connections driven by one selector thread,
 * each with one call outstanding) drives both; latencies are measured with {@link BenchConnection}.
 */
final class TrackerBench {
    private TrackerBench() {
    }

    /** One server's numbers. */
    record Result(String name, double updatesPerSecond, long updates, double fullMedianMs, double fullP99Ms,
            double incrementalMedianMs, double incrementalP99Ms) {
    }

    static int run(VerbArguments args, VerbContext context) throws Exception {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("bench takes no positional arguments");
        }
        int projects = args.intValue("projects", 100, 1, 10_000);
        int frames = args.intValue("frames", 1000, 1, 100_000);
        int clients = args.intValue("clients", 8, 1, 256);
        int seconds = args.intValue("seconds", 5, 1, 600);
        String python = args.value("python", "python3");
        int selectors = args.intValue("selectors", 0, 0, 64);
        int rounds = args.intValue("rounds", 3, 1, 100);
        Path work = Files.createTempDirectory("tessera-tracker-bench");
        try {
            compare(projects, frames, clients, seconds, python, selectors, rounds, work, context);
        } finally {
            deleteTree(work);
        }
        return ExitCodes.OK;
    }

    /** Deletes the bench's scratch folder (the database alone can reach gigabytes). */
    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("tracker bench: could not delete " + root + ": " + e.getMessage());
        }
    }

    /**
     * Both servers run side by side; after each is set up and warmed up, their update rates are measured in
     * {@code rounds} alternating pairs (python, tessera, python, tessera ...), so that a pair's ratio compares
     * the two under the same machine load (other work on a shared machine swings the rates several-fold
     * within minutes); the median ratio and the spread of the pairs are reported.
     */
    private static void compare(int projects, int frames, int clients, int seconds, String python, int selectors,
            int rounds, Path work, VerbContext context) throws Exception {
        PrintStream out = context.out();
        out.printf(Locale.ROOT, "tracker bench: %d projects x %d frames, %d clients, %d s per run, %d rounds, %d cores, load average %s%n",
                projects, frames, clients, seconds, rounds, Runtime.getRuntime().availableProcessors(), loadAverage());
        String pyName = "python SimpleXMLRPCServer (memory)";
        String tsName = "tessera (H2, durable)";
        Process py = startBaseline(python, work);
        try (TrackerService service = TrackerService.open(RenderTrackerComponent.jdbcUrlFor(work.resolve("bench")), null);
                TrackerServer server = TrackerServer.start(service, new TrackerServer.Settings("127.0.0.1", 0, null,
                        TrackerServer.DEFAULT_MAX_BODY, Math.max(32, clients * 2), selectors,
                        TrackerServer.DEFAULT_MAX_CONNECTIONS, 30_000))) {
            URI pyUri;
            try {
                pyUri = URI.create("http://127.0.0.1:" + awaitPort(py, work.resolve("baseline.log")) + "/RPC2");
                prepare(pyName, pyUri, projects, frames, clients, seconds, out, null);
            } catch (RuntimeException e) {
                context.err().println("python baseline log:\n" + Files.readString(work.resolve("baseline.log")));
                throw e;
            }
            // the warm-up ends with a checkpoint: the measured runs start from an empty journal with H2's
            // code compiled, as a tracker that has been up for a while (checkpoints due during a run are
            // part of it)
            prepare(tsName, server.uri(), projects, frames, clients, seconds, out, service.store()::checkpointNow);
            double[] pyRates = new double[rounds];
            double[] tsRates = new double[rounds];
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                pyRates[r] = rate(pyUri, projects, frames, clients, seconds);
                tsRates[r] = rate(server.uri(), projects, frames, clients, seconds);
                ratios[r] = tsRates[r] / pyRates[r];
                out.printf(Locale.ROOT, "round %d: python %.0f updates/s, tessera %.0f updates/s, ratio %.1fx (load %s)%n", r + 1,
                        pyRates[r], tsRates[r], ratios[r], loadAverage());
            }
            Result baseline = latencies(pyName, pyUri, median(pyRates), projects, frames, out);
            Result tessera = latencies(tsName, server.uri(), median(tsRates), projects, frames, out);
            double direct = direct(service, projects, frames, clients, seconds);
            out.printf(Locale.ROOT, "tessera in process (no HTTP/XML, same store): %.0f updates/s from %d threads%n", direct,
                    clients);
            out.println();
            out.println("| server | updates/s (median of rounds) | getChangedFrames(0) median / p99 ms | incremental median / p99 ms |");
            out.println("|---|---|---|---|");
            for (Result r : List.of(baseline, tessera)) {
                out.printf(Locale.ROOT, "| %s | %.0f | %.2f / %.2f | %.2f / %.2f |%n", r.name(), r.updatesPerSecond(),
                        r.fullMedianMs(), r.fullP99Ms(), r.incrementalMedianMs(), r.incrementalP99Ms());
            }
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            out.printf(Locale.ROOT, "ratio tessera/python: updates %.1fx (median of %d paired rounds, %.1f-%.1fx), "
                    + "full getChangedFrames %.1fx faster, incremental %.1fx faster%n", median(ratios), rounds, sorted[0],
                    sorted[rounds - 1], baseline.fullMedianMs() / tessera.fullMedianMs(),
                    baseline.incrementalMedianMs() / tessera.incrementalMedianMs());
            out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());
        } finally {
            py.destroyForcibly();
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The 1, 5 and 15 minute load averages (Linux), or "unknown": other work skews the numbers. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Process startBaseline(String python, Path work) throws IOException {
        Path script = work.resolve("baseline_tracker.py");
        URL entry = FrameworkUtil.getBundle(TrackerBench.class).getEntry("bench/baseline_tracker.py");
        if (entry == null) {
            throw new IOException("bench/baseline_tracker.py is missing from the bench bundle");
        }
        try (InputStream in = entry.openStream()) {
            Files.copy(in, script);
        }
        return new ProcessBuilder(python, script.toString(), "0").redirectErrorStream(true)
                .redirectOutput(work.resolve("baseline.log").toFile()).start();
    }

    /** Waits for "LISTENING <port>" in the baseline's log file. */
    private static int awaitPort(Process py, Path log) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith("LISTENING ")) {
                    return Integer.parseInt(line.substring("LISTENING ".length()).trim());
                }
            }
            if (!py.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new IOException("python baseline did not start: " + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Starts the projects, then a warm-up as long as a run (JIT: C2 was still compiling 2 s in). */
    private static void prepare(String name, URI uri, int projects, int frames, int clients, int seconds, PrintStream out,
            Runnable afterWarmUp) throws Exception {
        RenderTrackerClient setup = RenderTrackerClient.connect(uri, null);
        List<Integer> numbers = IntStream.rangeClosed(1, frames).boxed().toList();
        long t0 = System.nanoTime();
        for (int p = 0; p < projects; p++) {
            setup.startedRenderProject(project(p), numbers, false, p);
        }
        out.printf(Locale.ROOT, "%s: %d projects started in %.1f s%n", name, projects, (System.nanoTime() - t0) / 1e9);
        updates(uri, projects, frames, clients, Math.max(3, seconds));
        if (afterWarmUp != null) {
            afterWarmUp.run();
        }
    }

    /** One measured run: acknowledged updates per second. */
    private static double rate(URI uri, int projects, int frames, int clients, int seconds) throws Exception {
        long start = System.nanoTime();
        long count = updates(uri, projects, frames, clients, seconds);
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** 200 x getChangedFrames(project, 0) and 200 x incremental getChangedFrames after one update. */
    private static Result latencies(String name, URI uri, double rate, int projects, int frames, PrintStream out)
            throws Exception {
        int samples = 200;
        double[] full = new double[samples];
        double[] incremental = new double[samples];
        try (BenchConnection raw = new BenchConnection(uri.getHost(), uri.getPort())) {
            for (int i = 0; i < samples; i++) {
                String project = project(i % projects);
                long a = System.nanoTime();
                byte[] all = raw.call(XmlRpcCodec.call("getChangedFrames", List.of(project, 0)));
                full[i] = (System.nanoTime() - a) / 1e6;
                Object answer = parse(all);
                long since = ((Number) ((java.util.Map<?, ?>) answer).get("event_id")).longValue();
                raw.call(XmlRpcCodec.call("setFrameRenderFraction", List.of(project, 1 + i % frames, 0.5 + (i % 40) / 100.0)));
                long b = System.nanoTime();
                parse(raw.call(XmlRpcCodec.call("getChangedFrames", List.of(project, since))));
                incremental[i] = (System.nanoTime() - b) / 1e6;
            }
        }
        Arrays.sort(full);
        Arrays.sort(incremental);
        out.printf(Locale.ROOT, "%s: getChangedFrames since 0 (%d frames) median %.2f ms, incremental median %.2f ms%n", name,
                frames, full[samples / 2], incremental[samples / 2]);
        return new Result(name, rate, 0, full[samples / 2], full[samples * 99 / 100], incremental[samples / 2],
                incremental[samples * 99 / 100]);
    }

    /** The same updates called on the service directly: what the store and model cost without HTTP/XML. */
    private static double direct(TrackerService service, int projects, int frames, int clients, int seconds)
            throws Exception {
        long start = System.nanoTime();
        long total = runClients(clients, seconds, (client, go) -> {
            long n = 0;
            while (go.get()) {
                service.setFrameRenderFraction(project((int) ((client + n * clients) % projects)),
                        1 + (int) ((n * 7 + client) % frames), (n % 99) / 100.0);
                n++;
            }
            return n;
        });
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private static Object parse(byte[] answer) throws XmlRpcFault {
        return XmlRpcCodec.parseResponse(new java.io.ByteArrayInputStream(answer));
    }

    private static String project(int p) {
        return "/bench/shot" + p + ".hip";
    }

    /** Calls each client cycles through (prepared before the clock runs, so the load costs little CPU). */
    private static final int PREPARED_CALLS = 2048;

    /**
     * {@code clients} concurrent clients, each its own connection with one call outstanding, update frames
     * for {@code seconds} ({@link BenchLoad}); returns the number of acknowledged updates.
     */
    private static long updates(URI uri, int projects, int frames, int clients, int seconds) throws Exception {
        byte[][][] prepared = new byte[clients][PREPARED_CALLS][];
        for (int client = 0; client < clients; client++) {
            for (int n = 0; n < PREPARED_CALLS; n++) {
                String project = project((int) ((client + (long) n * clients) % projects));
                int frame = 1 + (int) (((long) n * 7 + client) % frames);
                prepared[client][n] = XmlRpcCodec.call("setFrameRenderFraction", List.of(project, frame, (n % 99) / 100.0));
            }
        }
        return new BenchLoad(uri.getHost(), uri.getPort()).run(clients, seconds,
                (client, n) -> prepared[client][(int) (n % PREPARED_CALLS)]);
    }

    /** One client's loop: runs while {@code go} is true, returns how many calls it made. */
    @FunctionalInterface
    private interface ClientLoop {
        long run(int client, AtomicBoolean go) throws Exception;
    }

    /** Runs {@code clients} loops in parallel for {@code seconds}; the total number of calls. */
    private static long runClients(int clients, int seconds, ClientLoop loop) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicBoolean go = new AtomicBoolean(true);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> loop.run(client, go)));
            }
            Thread.sleep(seconds * 1000L);
            go.set(false);
            long total = 0;
            for (Future<Long> f : futures) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }
}
