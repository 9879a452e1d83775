// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core;

import java.util.List;
import java.util.Objects;

/**
 * A named group of nodes (a host-list group such as {@code master {pc1 pc2}} becomes one network).
 *
 * @param name  the group's name; ungrouped hosts are in {@link #DEFAULT_NAME}
 * @param nodes the nodes in configuration order
 */
public record ClusterNetwork(String name, List<ClusterNode> nodes) {
    /** Name of the network that holds hosts given outside any group: {@value}. */
    public static final String DEFAULT_NAME = "default";

    public ClusterNetwork {
        Objects.requireNonNull(name, "name");
        nodes = List.copyOf(nodes);
    }
}
