// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core;

import java.util.Objects;

/**
 * Global options of a cluster configuration.
 *
 * @param dataCompression      compression of scene data sent to nodes
 * @param imageCompression     compression of tiles sent back
 * @param connectTimeoutMillis how long to wait for a node's TCP connect, milliseconds (1..3600000)
 * @param requestTimeoutMillis how long to wait for a node's answer, milliseconds (1..3600000)
 * @param heartbeatMillis      interval of liveness checks while running, milliseconds (1..3600000)
 */
public record ClusterOptions(DataCompression dataCompression, ImageCompression imageCompression,
        int connectTimeoutMillis, int requestTimeoutMillis, int heartbeatMillis) {

    /** off, 2000 ms connect, 5000 ms request, 1000 ms heartbeat, lossless images. */
    public static final ClusterOptions DEFAULT = new ClusterOptions(DataCompression.OFF, ImageCompression.LOSSLESS,
            2000, 5000, 1000);

    public ClusterOptions {
        Objects.requireNonNull(dataCompression, "dataCompression");
        Objects.requireNonNull(imageCompression, "imageCompression");
        if (connectTimeoutMillis <= 0 || requestTimeoutMillis <= 0 || heartbeatMillis <= 0
                || connectTimeoutMillis > 3_600_000 || requestTimeoutMillis > 3_600_000 || heartbeatMillis > 3_600_000) {
            throw new IllegalArgumentException("timeouts and heartbeat must be 1..3600000 ms");
        }
    }

    /** Compression of scene data between master and nodes (VRED: off / medium / high). */
    public enum DataCompression {
        OFF, MEDIUM, HIGH
    }

    /** Compression of rendered images between nodes and master (VRED: off / lossless / lossy). */
    public enum ImageCompression {
        OFF, LOSSLESS, LOSSY
    }
}
