// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.google.gson.JsonParser;

import org.tessera.http.HttpEndpoint;

/**
 * Upload throughput over loopback: a raw socket copy of a file into a file, against the gateway's
 * streamed {@code PUT /transfer} of the same file, in the same run; peak heap sampled during each.
 * Not a test: {@code tessera gateway bench [--size-mb 1024]}.
 */
final class TransferBenchmark {
    private final PrintStream out;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    TransferBenchmark(PrintStream out) {
        this.out = out;
    }

    private record Run(double seconds, long peakHeap) {
    }

    private Run measure(IoAction action) throws Exception {
        System.gc();
        AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        action.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        done.set(true);
        sampler.join();
        return new Run(seconds, peak.get());
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws Exception;
    }

    void run(long sizeMb) throws Exception {
        Path dir = Files.createTempDirectory("tessera-bench");
        try {
            Path source = dir.resolve("project/big.bin");
            Files.createDirectories(source.getParent());
            byte[] chunk = new byte[1 << 20];
            new Random(1).nextBytes(chunk);
            try (OutputStream o = Files.newOutputStream(source)) {
                for (long i = 0; i < sizeMb; i++) {
                    o.write(chunk);
                }
            }
            long size = Files.size(source);
            out.printf(Locale.ROOT, "file: %d MB, heap max %d MB%n", sizeMb, memory.getHeapMemoryUsage().getMax() >> 20);

            Run raw = measure(() -> rawCopy(source, dir.resolve("raw.bin")));
            Files.delete(dir.resolve("raw.bin"));

            Run http;
            try (EnvoyGateway gateway = new EnvoyGateway(dir.resolve("data"), () -> null, 0.01)) {
                String key = gateway.ledger().addUser("bench@example.com", 100);
                HttpEndpoint endpoint = gateway.start("127.0.0.1", 0, null);
                HttpClient client = HttpClient.newHttpClient();
                String auth = client.send(HttpRequest.newBuilder(endpoint.uri("/auth"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"Username\":\"bench@example.com\",\"AccessKey\":\"" + key + "\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                String token = JsonParser.parseString(auth).getAsJsonObject().get("Token").getAsString();
                URI put = endpoint.uri("/transfer/bench/big.bin");
                http = measure(() -> {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(put).header("X-Envoy-Session", token)
                            .header("X-Transfer-Total", String.valueOf(size))
                            .PUT(HttpRequest.BodyPublishers.ofFile(source)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IOException("transfer answered " + r.statusCode() + ": " + r.body());
                    }
                });
                if (Files.size(dir.resolve("data/projects/bench/big.bin")) != size) {
                    throw new IOException("stored size differs");
                }
            }
            double rawRate = size / raw.seconds() / (1 << 20);
            double httpRate = size / http.seconds() / (1 << 20);
            out.printf(Locale.ROOT, "raw socket copy : %7.1f MB/s (%.2f s), peak heap %d MB%n", rawRate, raw.seconds(), raw.peakHeap() >> 20);
            out.printf(Locale.ROOT, "gateway PUT     : %7.1f MB/s (%.2f s), peak heap %d MB%n", httpRate, http.seconds(), http.peakHeap() >> 20);
            out.printf(Locale.ROOT, "gateway / raw   : %5.1f %%%n", 100 * httpRate / rawRate);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Sends the file through a loopback socket into a file, with the same buffer size as the gateway. */
    private static void rawCopy(Path source, Path target) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread receiver = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream();
                        OutputStream o = Files.newOutputStream(target)) {
                    byte[] buffer = new byte[256 * 1024];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        o.write(buffer, 0, n);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            receiver.start();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    OutputStream o = s.getOutputStream()) {
                Files.copy(source, o);
            }
            receiver.join();
        }
    }

}
