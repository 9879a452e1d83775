// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.tessera.cluster.core.ClusterEvents;
import org.tessera.cluster.core.NodeInfo;
import org.tessera.cluster.core.NodeStatus;
import org.tessera.cluster.core.node.NodeClient;

/**
 * Heartbeats of a running cluster (docs/node-protocol.md, "Liveness"): every round asks each node for
 * its info, which renews the claim; a node that fails, or no longer lists this master, is lost and retried
 * with backoff 250 ms → 4 s (claim, node licence, display settings) until it is back.
 */
final class Liveness {
    private static final System.Logger LOG = System.getLogger(Liveness.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 4000;

    /** What a heartbeat round needs of the service. */
    interface Cluster {
        /** The running cluster's members and client, or null when it is not running. */
        Round round();

        /** Marks a member up or down; false when the cluster stopped meanwhile. */
        boolean setUp(Member m, boolean up);

        boolean allowMultipleServers();

        org.tessera.cluster.core.ClusterConfig config();

        /** Posts RUNNING_NODES_CHANGED with the service's state. */
        void runningNodesChanged(List<String> lost, List<String> recovered);
    }

    /** A snapshot for one round. */
    record Round(NodeClient client, List<Member> members) {
    }

    private final Cluster cluster;
    private final Executor io;
    private final EventPoster events;

    Liveness(Cluster cluster, Executor io, EventPoster events) {
        this.cluster = cluster;
        this.io = io;
        this.events = events;
    }

    /** One round; never throws. */
    void beat() {
        try {
            round();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "heartbeat round failed", e);
        }
    }

    private void round() {
        Round r = cluster.round();
        if (r == null) {
            return;
        }
        NodeClient c = r.client();
        String masterId = c.masterId();
        long now = System.nanoTime();
        Map<Member, CompletableFuture<NodeInfo>> probes = new LinkedHashMap<>();
        for (Member m : r.members()) {
            if (m.up || now >= m.nextAttemptNanos) {
                probes.put(m, NodeCalls.async(io, () -> c.info(m.node)));
            }
        }
        List<String> lost = new ArrayList<>();
        List<String> recovered = new ArrayList<>();
        for (var e : probes.entrySet()) {
            Member m = e.getKey();
            NodeInfo info;
            try {
                info = e.getValue().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception ex) {
                info = null;
            }
            if (m.up) {
                if (info != null && info.masters().contains(masterId)) {
                    m.report = info;
                    events.post(ClusterEvents.NODE_HEARTBEAT, ClusterEvents.NODE, m.address(), ClusterEvents.CPU_PERCENT,
                            info.cpuPercent(), ClusterEvents.MEMORY_USED_MB, info.memoryUsedMB(),
                            ClusterEvents.MEMORY_TOTAL_MB, info.memoryTotalMB());
                    continue;
                }
                // gone, or came back so fast it forgot us: either way it must be reconnected
                m.backoffMillis = 250;
                m.nextAttemptNanos = System.nanoTime();
                if (!cluster.setUp(m, false)) {
                    return;
                }
                lost.add(m.address());
                LOG.log(System.Logger.Level.INFO, "node " + m.address() + " stopped answering; restarting it");
            } else if (info != null && reconnect(c, m, info)) {
                m.report = info;
                if (!cluster.setUp(m, true)) {
                    return;
                }
                recovered.add(m.address());
            } else {
                m.nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(m.backoffMillis);
                m.backoffMillis = Math.min(MAX_BACKOFF_MILLIS, m.backoffMillis * 2);
            }
        }
        if (!lost.isEmpty() || !recovered.isEmpty()) {
            cluster.runningNodesChanged(List.copyOf(lost), List.copyOf(recovered));
        }
    }

    private boolean reconnect(NodeClient c, Member m, NodeInfo info) {
        boolean shared = cluster.allowMultipleServers();
        if (!info.masters().isEmpty() && !info.masters().contains(c.masterId()) && !shared) {
            return false;
        }
        try {
            c.claim(m.node, shared, ConnectionProcess.leaseMillis(cluster.config()));
            if (m.licence == NodeStatus.Licence.NODE_SEAT) {
                try {
                    c.checkoutLicense(m.node);
                } catch (org.tessera.cluster.core.node.NodeException e) {
                    c.release(m.node);
                    return false;
                }
            }
            NodeCalls.awaitQuietly(NodeCalls.display(io, c, List.of(m.node), cluster.config().display()));
            return true;
        } catch (org.tessera.cluster.core.node.NodeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
