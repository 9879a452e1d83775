// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.NodeProtocol;

/**
 * One node's speed test: median round trip of {@value #PINGS} pings, then a download and an upload of
 * the same payload. Line format (documented in docs/node-protocol.md):
 * {@code <host:port> latency_ms=<median> down_MBps=<n> up_MBps=<n> bytes=<payload>}, MB = 10^6 bytes.
 */
public final class SpeedTest {
    static final int PINGS = 7;

    private SpeedTest() {
    }

    /** Measures one node; never throws, errors become {@code <host:port> error=<reason>}. */
    public static String measure(NodeClient c, ClusterNode n, int bytes) {
        try {
            double[] rtt = new double[PINGS];
            for (int i = 0; i < PINGS; i++) {
                long t0 = System.nanoTime();
                NodeClient.Reply r = c.get(n, NodeProtocol.PING).get(30, TimeUnit.SECONDS);
                rtt[i] = (System.nanoTime() - t0) / 1e6;
                if (!r.ok()) {
                    return n.address() + " error=" + r.error().replace(' ', '_');
                }
            }
            Arrays.sort(rtt);
            long t0 = System.nanoTime();
            NodeClient.Reply down = c.get(n, NodeProtocol.SPEEDTEST + "?bytes=" + bytes).get(120, TimeUnit.SECONDS);
            double downSeconds = (System.nanoTime() - t0) / 1e9;
            if (!down.ok() || down.body().length != bytes) {
                return n.address() + " error=download_returned_" + down.body().length + "_of_" + bytes + "_bytes";
            }
            byte[] payload = down.body();
            t0 = System.nanoTime();
            NodeClient.Reply up = c.postBytes(n, NodeProtocol.SPEEDTEST, payload, "application/octet-stream")
                    .get(120, TimeUnit.SECONDS);
            double upSeconds = (System.nanoTime() - t0) / 1e9;
            if (!up.ok()) {
                return n.address() + " error=upload_" + up.error().replace(' ', '_');
            }
            return String.format(Locale.ROOT, "%s latency_ms=%.3f down_MBps=%.1f up_MBps=%.1f bytes=%d", n.address(),
                    rtt[PINGS / 2], bytes / downSeconds / 1e6, bytes / upSeconds / 1e6, bytes);
        } catch (Exception e) {
            return n.address() + " error=" + NodeClient.reason(e).replace(' ', '_');
        }
    }
}
