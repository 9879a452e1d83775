// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.NodeInfo;
import org.tessera.cluster.core.NodeStatus;

/** A node of the running cluster: up or being reconnected, its licence, its last report. Guarded by the service's state lock. */
final class Member {
    final ClusterNode node;
    final NodeStatus.Licence licence;
    boolean up = true;
    long backoffMillis = 250;
    long nextAttemptNanos;
    /** The last heartbeat's report; null before the first. */
    volatile NodeInfo report;

    Member(ClusterNode node, NodeStatus.Licence licence) {
        this.node = node;
        this.licence = licence;
    }

    String address() {
        return node.address();
    }

    boolean licensed() {
        return licence != NodeStatus.Licence.NONE;
    }
}
