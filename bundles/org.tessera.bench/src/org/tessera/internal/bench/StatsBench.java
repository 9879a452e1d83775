// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.tessera.core.cli.ExitCodes;
import org.tessera.stats.core.ClientSlot;
import org.tessera.stats.core.ClientStats;
import org.tessera.stats.core.HourlyJobThread;
import org.tessera.stats.core.JobThreadSample;
import org.tessera.stats.core.ServerStats;
import org.tessera.stats.core.ServerStatsItem;

/**
 * Benchmark (not a test): decode MB/s of a year of server stats and 180 days of client stats
 * against a plain sequential read of the same bytes in the same run. Also runnable as a plain Java
 * main: {@code java -cp <bundle jar> org.tessera.internal.bench.StatsBench [dir]}.
 */
public final class StatsBench {
    private static final long MIN_NANOS = 1_000_000_000L;

    private StatsBench() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args.length > 0 ? Path.of(args[0]) : null, System.out));
    }

    public static int run(Path dir, PrintStream out) throws IOException {
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("tessera-stats-bench");
        try {
            return measureAll(work, out);
        } finally {
            if (dir == null) {
                // our own scratch folder goes however the run ends (a given dir keeps the files)
                deleteTree(work);
            }
        }
    }

    private static int measureAll(Path work, PrintStream out) throws IOException {
        Path server = work.resolve("server_stats.db");
        Path client = work.resolve("client.tcs");
        writeServerYear(server);
        writeClient180Days(client);
        out.printf("Tessera stats decode benchmark (Java %s, %d cores)%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        out.printf("%-34s %10s %12s %12s %12s %8s%n", "file", "bytes", "read MB/s", "load MB/s", "load+scan", "load/read");
        measure(out, "server stats, one year (3 rings)", server, p -> ServerStats.load(p), p -> {
            ServerStats s = ServerStats.load(p);
            long sum = 0;
            for (ServerStats.Ring r : ServerStats.Ring.values()) {
                for (int i = 0; i < s.max(r); i++) {
                    sum += s.framesLeft(r, i);
                }
            }
            return sum;
        });
        measure(out, "client stats, 180 days x 2880 slots", client, p -> ClientStats.load(p), p -> {
            ClientStats c = ClientStats.load(p);
            double sum = 0;
            for (int d = 0; d < c.daysMax(); d++) {
                for (int i = 0; i < c.dataMax(); i++) {
                    sum += c.cpuTotal(d, i);
                }
            }
            return sum;
        });
        return ExitCodes.OK;
    }

    /** Best effort: the benchmark's result does not depend on it, and an exception on its way out wins. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // named below
        }
        if (Files.exists(dir)) {
            System.err.println("stats bench: could not remove the scratch folder " + dir);
        }
    }

    @FunctionalInterface
    interface Work {
        Object apply(Path p) throws IOException;
    }

    private static void measure(PrintStream out, String label, Path file, Work load, Work scan) throws IOException {
        long size = Files.size(file);
        // warm up all three, then measure each for at least a second
        for (int i = 0; i < 5; i++) {
            read(file);
            load.apply(file);
            scan.apply(file);
        }
        double read = rate(size, file, StatsBench::read);
        double decode = rate(size, file, load);
        double full = rate(size, file, scan);
        out.printf("%-34s %10d %12.0f %12.0f %12.0f %7.0f%%%n", label, size, read, decode, full, 100 * decode / read);
    }

    private static double rate(long size, Path file, Work w) throws IOException {
        long start = System.nanoTime();
        long n = 0;
        Object sink = null;
        while (System.nanoTime() - start < MIN_NANOS) {
            sink = w.apply(file);
            n++;
        }
        long nanos = System.nanoTime() - start;
        if (sink == null) {
            throw new IllegalStateException();
        }
        return (double) size * n / (1 << 20) / (nanos / 1e9);
    }

    /** A plain sequential read of the file, summing a long per 8 bytes so the read is not optimised away. */
    private static final ByteBuffer READ_BUFFER = ByteBuffer.allocateDirect(1 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);

    static Long read(Path file) throws IOException {
        ByteBuffer buf = READ_BUFFER.clear();
        long sum = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) > 0) {
                buf.flip();
                while (buf.remaining() >= 8) {
                    sum += buf.getLong();
                }
                buf.clear();
            }
        }
        return sum;
    }

    static void writeServerYear(Path file) throws IOException {
        Random rnd = new Random(1);
        ServerStats s = ServerStats.create();
        for (ServerStats.Ring ring : ServerStats.Ring.values()) {
            for (int i = 0; i < s.max(ring); i++) {
                s.set(ring, i, new ServerStatsItem(true, rnd.nextFloat(), rnd.nextFloat() * 100, rnd.nextInt(1000), 0, 0,
                        rnd.nextInt(50), rnd.nextInt(50), 0, rnd.nextInt(100), rnd.nextInt(100), 40, 45, 10, 5, 20, 8000,
                        900, 1, 1, 100, 1, rnd.nextInt(3600), rnd.nextInt(100000)));
            }
        }
        long now = ServerStats.currentLocalTime();
        s.setLastSave(now / 90, now / 1800, now / 21600);
        s.write(file);
    }

    static void writeClient180Days(Path file) throws IOException {
        Random rnd = new Random(2);
        ClientStats c = ClientStats.create(ClientStats.DEFAULT_MAX_JOB_THREADS);
        long today = java.time.LocalDate.now().toEpochDay();
        for (int d = 0; d < c.daysMax(); d++) {
            c.setDay(d, true, today - (c.daysMax() - 1 - d));
            for (int i = 0; i < c.dataMax(); i++) {
                c.setData(d, i, new ClientSlot(true, false, rnd.nextInt(10000) / 10000f, 0, rnd.nextInt(6000), -1, -1, 0,
                        List.of(new JobThreadSample(1, rnd.nextInt(10000) / 10000f, rnd.nextInt(3000), 0xBEEF),
                                new JobThreadSample(1, rnd.nextInt(10000) / 10000f, rnd.nextInt(3000), 0xCAFE))));
            }
            for (int h = 0; h < c.dataHourlyMax(); h++) {
                c.setDataHourly(d, h, List.of(new HourlyJobThread(rnd.nextInt(100), 0, 0, 1)));
            }
        }
        c.write(file);
    }
}
