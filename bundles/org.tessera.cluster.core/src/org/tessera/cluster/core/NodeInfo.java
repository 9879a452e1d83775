// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core;

import java.util.List;

/**
 * What a node server reports at {@link NodeProtocol#INFO}.
 *
 * @param node          the node's name (host name of its machine and port, e.g. {@code pc1:7701})
 * @param host          host name of the machine
 * @param port          port the node server listens on
 * @param version       Tessera version of the node
 * @param protocol      {@link NodeProtocol#VERSION}
 * @param cores         processors available
 * @param cpuPercent    recent CPU use of the machine, 0..100 of all cores
 * @param memoryTotalMB memory the node may use, MB (its {@code --memory-limit}, else its maximum heap)
 * @param memoryUsedMB  memory in use, MB
 * @param memoryFreeMB  {@code memoryTotalMB - memoryUsedMB}, never negative
 * @param licenseSeats  licence seats the node holds for node-side checkout
 * @param licensesInUse seats checked out now
 * @param masters       ids of the masters holding the node (more than one only when shared)
 * @param showTiles     display setting last sent by a master
 * @param showTestImage display setting last sent by a master
 * @param scenes        scenes in the node's cache
 * @param engines       names of the render engines the node offers
 * @param uptimeMillis  milliseconds since the node server started
 */
public record NodeInfo(String node, String host, int port, String version, int protocol, int cores,
        double cpuPercent, long memoryTotalMB, long memoryUsedMB, long memoryFreeMB, int licenseSeats,
        int licensesInUse, List<String> masters, boolean showTiles, boolean showTestImage, int scenes,
        List<String> engines, long uptimeMillis) {

    public NodeInfo {
        masters = masters == null ? List.of() : List.copyOf(masters);
        engines = engines == null ? List.of() : List.copyOf(engines);
    }
}
