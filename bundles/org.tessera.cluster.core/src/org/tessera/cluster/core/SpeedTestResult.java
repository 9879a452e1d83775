// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core;

import java.util.Locale;

/**
 * One node's speed test ({@link ClusterService#runSpeedTest()}): MB = 10^6 bytes.
 *
 * @param node          {@code host:port}
 * @param latencyMillis median round trip of the pings, ms (NaN on error)
 * @param downMBps      node → master throughput, MB/s (NaN on error)
 * @param upMBps        master → node throughput, MB/s (NaN on error)
 * @param bytes         payload each way
 * @param error         why it failed, or null when it succeeded
 * @since 0.2
 */
public record SpeedTestResult(String node, double latencyMillis, double downMBps, double upMBps, int bytes, String error) {

    /** A failed test. */
    public static SpeedTestResult failed(String node, String error) {
        return new SpeedTestResult(node, Double.NaN, Double.NaN, Double.NaN, 0, error);
    }

    /** True when it succeeded. */
    public boolean ok() {
        return error == null;
    }

    /**
     * The line of {@code docs/node-protocol.md}: {@code <host:port> latency_ms=<median> down_MBps=<n> up_MBps=<n>
     * bytes=<payload>} or {@code <host:port> error=<reason with _ for spaces>}.
     */
    public String line() {
        return ok() ? String.format(Locale.ROOT, "%s latency_ms=%.3f down_MBps=%.1f up_MBps=%.1f bytes=%d", node,
                latencyMillis, downMBps, upMBps, bytes) : node + " error=" + error.replace(' ', '_');
    }
}
