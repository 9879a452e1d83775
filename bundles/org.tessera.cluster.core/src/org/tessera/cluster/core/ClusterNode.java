// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core;

import java.util.Objects;

/**
 * One compute node of a cluster configuration: the node server at {@code host:port}.
 *
 * @param host    host name, IPv4 or IPv6 literal (without brackets)
 * @param port    TCP port of the node server, 1..65535 (default {@link #DEFAULT_PORT})
 * @param threads render threads the node should use; 0 means all of its cores
 * @param enabled false keeps the node in the configuration but out of {@link ClusterService#start()}
 */
public record ClusterNode(String host, int port, int threads, boolean enabled) {
    /** Port a node server listens on when none is given: {@value}. */
    public static final int DEFAULT_PORT = 7701;

    public ClusterNode {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, not " + port);
        }
        if (threads < 0 || threads > 4096) {
            throw new IllegalArgumentException("threads must be 0..4096, not " + threads);
        }
    }

    /** A node with default options. */
    public static ClusterNode of(String host, int port) {
        return new ClusterNode(host, port, 0, true);
    }

    /** {@code host:port}, with brackets around IPv6 literals: the node's name in lists and events. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
