// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core;

import java.util.Objects;

/**
 * What the {@link ClusterService} knows about one configured node, so views and tools ask the service
 * rather than the nodes ({@link ClusterService#getNodeStatus()}).
 *
 * @param node      the node as configured
 * @param state     where it stands
 * @param report    the node's last report (a heartbeat's {@code /v1/info}: cores, CPU, memory, licence
 *                  seats, masters, engines), or null when none came yet while it runs
 * @param licence   the licence this master holds for it
 * @param speedTest the last speed test of this node, or null
 * @param problem   why it is not running (from the last start), or "" when there is nothing to say
 * @since 0.2
 */
public record NodeStatus(ClusterNode node, State state, NodeInfo report, Licence licence, SpeedTestResult speedTest,
        String problem) {

    public NodeStatus {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(licence, "licence");
        problem = problem == null ? "" : problem;
    }

    /** {@code host:port}: the node's name in lists and events. */
    public String address() {
        return node.address();
    }

    /** Where a configured node stands. */
    public enum State {
        /** Disabled in the configuration: never started. */
        DISABLED,
        /** The cluster is not running. */
        CONFIGURED,
        /** The cluster runs and this node is in it. */
        RUNNING,
        /** The cluster runs; this node stopped answering and is being reconnected (restarting mode). */
        LOST,
        /** The cluster runs without this node: it failed a check at start (see {@link NodeStatus#problem()}). */
        NOT_STARTED
    }

    /** The licence a running node renders under. */
    public enum Licence {
        /** Not running, or no licence. */
        NONE,
        /** A seat of this master's pool ({@link ClusterService#getLocalLicenseCheckout()}). */
        MASTER_SEAT,
        /** A seat checked out on the node itself. */
        NODE_SEAT,
        /** Consumption-based licensing: metered node-seconds. */
        METERED
    }
}
