// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.bench;

import org.tessera.internal.cloud.gateway.EnvoyGateway;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.tessera.cloud.core.EnvoyClient;
import org.tessera.cloud.core.Project;
import org.tessera.cloud.core.ProjectStatus;
import org.tessera.http.HttpEndpoint;

/**
 * Upload throughput over loopback, in one run and one JVM, against a raw loopback socket copy of
 * the same file into a file:
 * <ol>
 * <li><b>raw</b>: the file is read in {@value #BUFFER}-byte steps and written to a plain loopback
 * socket; the receiver reads the socket into a direct buffer of the same size and writes it to a
 * file. No HTTP, no gateway: what the machine can do.</li>
 * <li><b>envoy</b>: the path users of the public protocol take. Tessera's {@link EnvoyClient}
 * (HttpClient 5) calls {@code POST /upload} naming the file under {@code localRoot}; the gateway
 * reads it from disk and streams it into the project store; the client polls
 * {@code GET /project-status} until the project is {@code Uploaded}.</li>
 * <li><b>http</b>: the path for a gateway on another machine. {@link EnvoyClient#transferFile}
 * streams the file in the body of {@code PUT /transfer/...}; the gateway writes Jetty's receive
 * buffers into the part file as they arrive.</li>
 * </ol>
 * Each path runs {@code rounds} times, interleaved, after one warm-up round that is not counted;
 * the median time counts. Peak heap and peak
 * direct-buffer memory are sampled every 5 ms. Not a test: {@code tessera gateway bench}.
 */
final class TransferBenchmark {
    /** Buffer size of the raw copy: the client's write size and the gateway's read buffer. */
    static final int BUFFER = EnvoyGateway.TRANSFER_BUFFER;

    private final PrintStream out;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(b -> b.getName().equals("direct")).findFirst().orElse(null);

    TransferBenchmark(PrintStream out) {
        this.out = out;
    }

    private record Run(double seconds, long peakHeap, long peakDirect) {
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws Exception;
    }

    private long directUsed() {
        return direct == null ? 0 : direct.getMemoryUsed();
    }

    private Run measure(IoAction action) throws Exception {
        System.gc();
        AtomicLong peakHeap = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        AtomicLong peakDirect = new AtomicLong(directUsed());
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                peakDirect.accumulateAndGet(directUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-memory-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        try {
            action.run();
        } finally {
            done.set(true);
            sampler.join();
        }
        return new Run((System.nanoTime() - start) / 1e9, peakHeap.get(), peakDirect.get());
    }

    void run(long sizeMb, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("tessera-bench");
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try {
            Path project = dir.resolve("bench-envoy");
            Path source = project.resolve("big.bin");
            Files.createDirectories(project);
            byte[] chunk = new byte[1 << 20];
            new Random(1).nextBytes(chunk);
            try (FileChannel o = FileChannel.open(source, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (long i = 0; i < sizeMb; i++) {
                    o.write(ByteBuffer.wrap(chunk));
                }
                // on disk before the first round, so that no round competes with its write-back
                o.force(true);
            }
            long size = Files.size(source);
            out.printf(Locale.ROOT, "file: %d MiB, %d rounds (+1 warm-up), buffers %d KiB, heap max %d MiB, %d cores%n", sizeMb,
                    rounds, BUFFER >> 10, memory.getHeapMemoryUsage().getMax() >> 20,
                    Runtime.getRuntime().availableProcessors());
            List<Run> raw = new ArrayList<>();
            List<Run> envoy = new ArrayList<>();
            List<Run> http = new ArrayList<>();
            Path store = dir.resolve("data/projects");
            try (EnvoyGateway gateway = new EnvoyGateway(dir.resolve("data"), () -> null, 0.01)) {
                String key = gateway.ledger().addUser("bench@example.com", 100);
                HttpEndpoint endpoint = gateway.start("127.0.0.1", 0, null);
                try (EnvoyClient client = new EnvoyClient(endpoint.uri(""))) {
                    client.authenticate("bench@example.com", key);
                    // round 0 warms up (JIT, page cache, socket buffers) and is not counted
                    for (int round = 0; round <= rounds; round++) {
                        Path rawTarget = dir.resolve("raw.bin");
                        Run r = measure(() -> rawCopy(source, rawTarget));
                        check(source, rawTarget, size);
                        Run e = measure(() -> envoyUpload(client, project));
                        check(source, store.resolve("bench-envoy/big.bin"), size);
                        Run h = measure(() -> client.transferFile(source, "bench-http/big.bin"));
                        check(source, store.resolve("bench-http/big.bin"), size);
                        if (round > 0) {
                            raw.add(r);
                            envoy.add(e);
                            http.add(h);
                        }
                    }
                }
            }
            double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            Run r = median(raw);
            report("raw socket copy", size, r, raw, null);
            report("envoy POST /upload", size, median(envoy), envoy, r);
            report("http PUT /transfer", size, median(http), http, r);
            // each round's paths ran back to back: their ratio is less exposed to a load that changes
            out.printf(Locale.ROOT, "per-round ratio to raw: envoy %s, http %s%n", roundRatios(raw, envoy), roundRatios(raw, http));
            out.printf(Locale.ROOT, "load average (1 min): %.2f before, %.2f after%n", loadBefore, loadAfter);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Compares sizes only (a full compare would dominate the run); deletes the copy. */
    private static void check(Path source, Path copy, long size) throws IOException {
        if (Files.size(copy) != size) {
            throw new IOException(copy + " has " + Files.size(copy) + " bytes, not " + size);
        }
        Files.delete(copy);
    }

    /** Each round's raw time over the path's time, in percent, then their median. */
    private static String roundRatios(List<Run> raw, List<Run> path) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            ratios.add(100 * raw.get(i).seconds() / path.get(i).seconds());
        }
        List<Double> sorted = new ArrayList<>(ratios);
        sorted.sort(null);
        return ratios.stream().map(x -> String.format(Locale.ROOT, "%.0f%%", x)).toList() + " median "
                + String.format(Locale.ROOT, "%.1f%%", sorted.get(sorted.size() / 2));
    }

    private static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(Run::seconds));
        Run m = sorted.get(sorted.size() / 2);
        long heap = runs.stream().mapToLong(Run::peakHeap).max().orElse(0);
        long directPeak = runs.stream().mapToLong(Run::peakDirect).max().orElse(0);
        return new Run(m.seconds(), heap, directPeak);
    }

    private void report(String what, long size, Run median, List<Run> all, Run raw) {
        double rate = size / median.seconds() / (1 << 20);
        String ratio = raw == null ? "" : String.format(Locale.ROOT, ", %5.1f %% of raw", 100 * raw.seconds() / median.seconds());
        out.printf(Locale.ROOT, "%-19s: %7.1f MiB/s (median %.2f s of %s)%s; peak heap %d MiB, peak direct %d MiB%n", what,
                rate, median.seconds(), all.stream().map(x -> String.format(Locale.ROOT, "%.2f", x.seconds())).toList(),
                ratio, median.peakHeap() >> 20, median.peakDirect() >> 20);
    }

    /** {@code POST /upload} of the folder, then status polls until the gateway has stored it. */
    private static void envoyUpload(EnvoyClient client, Path project) throws Exception {
        String name = client.uploadProjectFiles(new Project(project).addAllFiles());
        while (true) {
            ProjectStatus s = client.getProjectStatus(name);
            if (s.state().equals("Uploaded")) {
                return;
            }
            if (s.state().equals("Failed")) {
                throw new IOException("upload failed: " + s.message() + " " + s.details());
            }
            Thread.sleep(2);
        }
    }

    /**
     * Sends the file through a plain loopback socket into a file: the sender reads the file in
     * {@link #BUFFER}-byte steps into an array and writes it to the socket (as the client writes its
     * request body), the receiver reads the socket into a direct buffer of the same size and writes
     * it to the file (as the gateway writes what Jetty received).
     */
    private static void rawCopy(Path source, Path target) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            AtomicLong received = new AtomicLong();
            Thread receiver = new Thread(() -> {
                try (SocketChannel s = server.accept();
                        FileChannel o = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
                    while (s.read(buffer) >= 0) {
                        buffer.flip();
                        while (buffer.hasRemaining()) {
                            received.addAndGet(o.write(buffer));
                        }
                        buffer.clear();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "bench-raw-receiver");
            receiver.start();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.socket().getLocalPort());
                    OutputStream o = s.getOutputStream();
                    FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
                int n;
                while ((n = in.read(buffer)) > 0) {
                    o.write(buffer.array(), 0, n);
                    buffer.clear();
                }
            }
            receiver.join();
        }
    }
}
