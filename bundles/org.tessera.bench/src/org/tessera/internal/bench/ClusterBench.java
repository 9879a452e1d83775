// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;
import org.tessera.internal.cluster.core.ClusterServiceImpl;
import org.tessera.node.NodeServer;
import org.tessera.node.NodeSettings;

/**
 * Benchmark (not a test): time to start a cluster of N local node servers, speed-test throughput, and
 * raw loopback socket throughput measured in the same run for comparison.
 */
public final class ClusterBench {
    private ClusterBench() {
    }

    public static int run(VerbArguments a, VerbContext context) throws Exception {
        int count = a.intValue("nodes", 16, 1, 256);
        int bytes = a.intValue("bytes", 8 * 1024 * 1024, 1024, 64 * 1024 * 1024);
        List<NodeServer> nodes = new ArrayList<>();
        var out = context.out();
        long t0 = System.nanoTime();
        try {
            StringBuilder hosts = new StringBuilder();
            for (int i = 0; i < count; i++) {
                NodeServer s = NodeServer.start(NodeSettings.defaults().withPort(0));
                nodes.add(s);
                hosts.append("127.0.0.1:").append(s.port()).append(' ');
            }
            double serversMs = (System.nanoTime() - t0) / 1e6;
            var settings = new ClusterServiceImpl.Settings("localhost", null, count, bytes);
            try (ClusterServiceImpl cluster = new ClusterServiceImpl((topic, props) -> { }, settings)) {
                cluster.setConfig(hosts.toString());
                cluster.setRequiredMemoryMB(1);
                // warm-up start: class loading and JIT, not part of the measurement
                cluster.start();
                cluster.stop();
                double[] startMs = new double[5];
                for (int i = 0; i < startMs.length; i++) {
                    long s0 = System.nanoTime();
                    if (!cluster.start()) {
                        context.err().println("cluster did not start: " + cluster.getProblems());
                        return ExitCodes.FAILURE;
                    }
                    startMs[i] = (System.nanoTime() - s0) / 1e6;
                    if (i < startMs.length - 1) {
                        cluster.stop();
                    }
                }
                java.util.Arrays.sort(startMs);
                List<String> lines = cluster.runSpeedTest();
                double down = 0;
                double up = 0;
                for (String l : lines) {
                    down += value(l, "down_MBps=");
                    up += value(l, "up_MBps=");
                }
                double raw = rawLoopbackMBps(bytes * 4L);
                out.printf(Locale.ROOT, "nodes=%d node_servers_start_ms=%.0f%n", count, serversMs);
                out.printf(Locale.ROOT, "cluster_start_ms median=%.1f min=%.1f max=%.1f (5 runs)%n", startMs[2],
                        startMs[0], startMs[4]);
                lines.stream().limit(3).forEach(l -> out.println("  " + l));
                out.printf(Locale.ROOT, "speedtest_mean down_MBps=%.1f up_MBps=%.1f bytes=%d%n", down / lines.size(),
                        up / lines.size(), bytes);
                out.printf(Locale.ROOT, "raw_loopback_socket_MBps=%.1f%n", raw);
                out.printf(Locale.ROOT, "speedtest_vs_raw down=%.0f%% up=%.0f%%%n", 100 * down / lines.size() / raw,
                        100 * up / lines.size() / raw);
            }
        } finally {
            nodes.forEach(NodeServer::close);
        }
        return ExitCodes.OK;
    }

    private static double value(String line, String key) {
        int i = line.indexOf(key);
        if (i < 0) {
            return 0;
        }
        int end = line.indexOf(' ', i);
        return Double.parseDouble(line.substring(i + key.length(), end < 0 ? line.length() : end));
    }

    /** Bytes through a plain loopback TCP socket, MB/s (10^6). */
    static double rawLoopbackMBps(long total) throws IOException, InterruptedException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread sink = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[1 << 16];
                    while (in.read(buf) > 0) {
                        // drain
                    }
                } catch (IOException ignored) {
                    // measurement ends when the writer closes
                }
            });
            byte[] block = new byte[1 << 16];
            long t0 = System.nanoTime();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    OutputStream o = s.getOutputStream()) {
                for (long sent = 0; sent < total; sent += block.length) {
                    o.write(block);
                }
            }
            sink.join();
            return total / ((System.nanoTime() - t0) / 1e9) / 1e6;
        }
    }
}
