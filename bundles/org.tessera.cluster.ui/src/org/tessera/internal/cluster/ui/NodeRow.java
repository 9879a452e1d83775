// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.ui;

import java.util.Locale;

import org.tessera.cluster.core.NodeInfo;
import org.tessera.cluster.core.NodeStatus;
import org.tessera.cluster.core.SpeedTestResult;

/**
 * One row of the node table, from the cluster service's {@link NodeStatus} of the node.
 *
 * @param address       {@code host:port}
 * @param state         configured, disabled, running, lost (being reconnected) or not started
 * @param cpuPercent    CPU use of the last heartbeat, or -1
 * @param memoryUsedMB  memory in use (last heartbeat), or -1
 * @param memoryTotalMB memory the node may use, or -1
 * @param licence       the node's licence as the master sees it ("master seat", "node seat 1/4", "metered",
 *                      "none"), or "" when it is not running
 * @param masters       the masters holding the node, as the node reports them, or ""
 * @param speed         last speed-test result for this node, or ""
 * @param problem       why it did not start, or ""
 */
public record NodeRow(String address, String state, double cpuPercent, long memoryUsedMB, long memoryTotalMB,
        String licence, String masters, String speed, String problem) {

    /** The row of a node's status. */
    static NodeRow of(NodeStatus s) {
        NodeInfo r = s.report();
        boolean live = s.state() == NodeStatus.State.RUNNING && r != null;
        String licence = s.state() != NodeStatus.State.RUNNING ? "" : switch (s.licence()) {
            case MASTER_SEAT -> "master seat";
            case NODE_SEAT -> r == null ? "node seat" : "node seat " + r.licensesInUse() + "/" + r.licenseSeats();
            case METERED -> "metered";
            case NONE -> "none";
        };
        return new NodeRow(s.address(), state(s.state()), live ? r.cpuPercent() : -1, live ? r.memoryUsedMB() : -1,
                live ? r.memoryTotalMB() : -1, licence, live ? String.join(", ", r.masters()) : "", speed(s.speedTest()),
                s.problem());
    }

    static String state(NodeStatus.State s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** "5.9 ms, 54.6 / 40.1 MB/s", the error, or "" when there was no test. */
    static String speed(SpeedTestResult t) {
        if (t == null) {
            return "";
        }
        return t.ok() ? String.format(Locale.ROOT, "%.1f ms, %.1f / %.1f MB/s", t.latencyMillis(), t.downMBps(), t.upMBps())
                : t.error();
    }

    public String memory() {
        return memoryTotalMB < 0 ? "" : memoryUsedMB + " / " + memoryTotalMB + " MB";
    }

    public String cpu() {
        return cpuPercent < 0 ? "" : Math.round(cpuPercent) + " %";
    }
}
