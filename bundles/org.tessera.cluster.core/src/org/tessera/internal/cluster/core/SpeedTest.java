// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.time.Duration;
import java.util.Arrays;

import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.SpeedTestResult;
import org.tessera.cluster.core.node.NodeClient;

/**
 * One node's speed test: median round trip of {@value #PINGS} pings, then a download and an upload of
 * the same payload (docs/node-protocol.md, "Speed test output"), MB = 10^6 bytes.
 */
final class SpeedTest {
    static final int PINGS = 7;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(2);

    private SpeedTest() {
    }

    /** Measures one node; never throws, an error becomes a failed result. */
    static SpeedTestResult measure(NodeClient c, ClusterNode n, int bytes) {
        try {
            double[] rtt = new double[PINGS];
            for (int i = 0; i < PINGS; i++) {
                long t0 = System.nanoTime();
                c.ping(n);
                rtt[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(rtt);
            long t0 = System.nanoTime();
            byte[] payload = c.download(n, bytes, TRANSFER_TIMEOUT);
            double downSeconds = (System.nanoTime() - t0) / 1e9;
            if (payload.length != bytes) {
                return SpeedTestResult.failed(n.address(), "download returned " + payload.length + " of " + bytes + " bytes");
            }
            t0 = System.nanoTime();
            c.upload(n, payload, TRANSFER_TIMEOUT);
            double upSeconds = (System.nanoTime() - t0) / 1e9;
            return new SpeedTestResult(n.address(), rtt[PINGS / 2], bytes / downSeconds / 1e6, bytes / upSeconds / 1e6, bytes, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SpeedTestResult.failed(n.address(), "interrupted");
        } catch (Exception e) {
            return SpeedTestResult.failed(n.address(), NodeClient.reason(e));
        }
    }
}
