// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.ui;

/**
 * One row of the node table, merged from the configuration, the running-node list, heartbeats and the
 * last speed test.
 *
 * @param address {@code host:port}
 * @param state configured, disabled, running or lost
 * @param cpuPercent last heartbeat's CPU use, or -1
 * @param memoryUsedMB last heartbeat's memory in use, or -1
 * @param memoryTotalMB last heartbeat's memory the node may use, or -1
 * @param speed last speed-test line for this node, or ""
 */
public record NodeRow(String address, String state, double cpuPercent, long memoryUsedMB, long memoryTotalMB, String speed) {
    NodeRow withState(String s) {
        return new NodeRow(address, s, cpuPercent, memoryUsedMB, memoryTotalMB, speed);
    }

    NodeRow withHeartbeat(double cpu, long used, long total) {
        return new NodeRow(address, state, cpu, used, total, speed);
    }

    NodeRow withSpeed(String s) {
        return new NodeRow(address, state, cpuPercent, memoryUsedMB, memoryTotalMB, s);
    }

    public String memory() {
        return memoryTotalMB < 0 ? "" : memoryUsedMB + " / " + memoryTotalMB + " MB";
    }

    public String cpu() {
        return cpuPercent < 0 ? "" : Math.round(cpuPercent) + " %";
    }
}
