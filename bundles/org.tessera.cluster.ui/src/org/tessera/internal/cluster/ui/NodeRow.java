// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.ui;

/**
 * One row of the node table, merged from the configuration, the running-node list, heartbeats, the
 * node server's own report ({@code /v1/info}) and the last speed test.
 *
 * @param address       {@code host:port}
 * @param state         configured, disabled, running or not started
 * @param cpuPercent    last heartbeat's CPU use, or -1
 * @param memoryUsedMB  memory in use (heartbeat or the node's report), or -1
 * @param memoryTotalMB memory the node may use, or -1
 * @param licence       the node's licence as the master sees it ("master seat", "node seat 1/4", "none",
 *                      "metered"), or ""
 * @param masters       the masters holding the node, as the node reports them, or ""
 * @param speed         last speed-test result for this node, or ""
 */
public record NodeRow(String address, String state, double cpuPercent, long memoryUsedMB, long memoryTotalMB,
        String licence, String masters, String speed) {

    static NodeRow configured(String address) {
        return new NodeRow(address, "", -1, -1, -1, "", "", "");
    }

    NodeRow withState(String s) {
        return new NodeRow(address, s, cpuPercent, memoryUsedMB, memoryTotalMB, licence, masters, speed);
    }

    NodeRow withHeartbeat(double cpu, long used, long total) {
        return new NodeRow(address, state, cpu, used, total, licence, masters, speed);
    }

    NodeRow withReport(long used, long total, String licenceState, String heldBy) {
        return new NodeRow(address, state, cpuPercent, used, total, licenceState, heldBy, speed);
    }

    NodeRow withSpeed(String s) {
        return new NodeRow(address, state, cpuPercent, memoryUsedMB, memoryTotalMB, licence, masters, s);
    }

    /** A row of a node that is not running keeps no live values. */
    NodeRow withoutLiveValues() {
        return new NodeRow(address, state, -1, -1, -1, "", "", speed);
    }

    public String memory() {
        return memoryTotalMB < 0 ? "" : memoryUsedMB + " / " + memoryTotalMB + " MB";
    }

    public String cpu() {
        return cpuPercent < 0 ? "" : Math.round(cpuPercent) + " %";
    }
}
