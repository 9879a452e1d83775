// SPDX-License-Identifier: EPL-2.0
package org.tessera.node;

/**
 * How a node server runs.
 *
 * @param host          address to bind (default {@code 127.0.0.1}); anything else needs a token
 * @param port          TCP port, 0 for any free one (default {@link org.tessera.cluster.core.ClusterNode#DEFAULT_PORT})
 * @param token         access token masters must send (Bearer); null for none (loopback only). Never logged.
 * @param memoryLimitMB memory the node offers, MB; 0 means its maximum heap
 * @param licenseSeats  licence seats for node-side checkout (default 1; 0 = unlicensed node)
 * @param maxSceneMB    largest scene upload accepted, MB (default 256)
 */
public record NodeSettings(String host, int port, String token, long memoryLimitMB, int licenseSeats, int maxSceneMB) {

    /** Loopback, port 7701, no token, no memory limit, one seat, 256 MB scenes. */
    public static NodeSettings defaults() {
        return new NodeSettings("127.0.0.1", 7701, null, 0, 1, 256);
    }

    public NodeSettings withPort(int value) {
        return new NodeSettings(host, value, token, memoryLimitMB, licenseSeats, maxSceneMB);
    }
}
