// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core;

import org.tessera.core.TesseraEvents;

/**
 * EventAdmin topics of the {@link ClusterService}: one per signal of VRED's {@code vrClusterService},
 * plus node heartbeats. Every event also carries {@link TesseraEvents#TIMESTAMP}. List-valued keys
 * hold an unmodifiable {@code List<String>} of node addresses ({@code host:port}).
 */
public final class ClusterEvents {
    /** Area root: {@value}. */
    public static final String ROOT = TesseraEvents.ROOT + "/cluster";

    /** configChanged(config): the configuration changed. Keys: {@link #CONFIG} (the XML document). */
    public static final String CONFIG_CHANGED = ROOT + "/CONFIG_CHANGED";
    /**
     * multipleServersFound(hosts): nodes already held by another master. Keys: {@link #HOSTS},
     * {@link #HELD_BY} (list of the other masters' ids, same order), {@link #ALLOWED} (Boolean: true when
     * {@link ClusterService#getAllowMultipleServers()} let the start use them anyway).
     */
    public static final String MULTIPLE_SERVERS_FOUND = ROOT + "/MULTIPLE_SERVERS_FOUND";
    /**
     * notEnoughMemoryFound(hosts): nodes whose free memory is below the estimate. Keys: {@link #HOSTS},
     * {@link #REQUIRED_MB} (Long), {@link #ALLOWED} (Boolean, true when ignoreNotEnoughMemory).
     */
    public static final String NOT_ENOUGH_MEMORY_FOUND = ROOT + "/NOT_ENOUGH_MEMORY_FOUND";
    /** progressChanged(action, progress). Keys: {@link #ACTION} (String), {@link #PROGRESS} (Integer 0..100). */
    public static final String PROGRESS_CHANGED = ROOT + "/PROGRESS_CHANGED";
    /** progressFinished(): the connection process ended. Keys: {@link #SUCCESS} (Boolean), {@link #ABORTED} (Boolean). */
    public static final String PROGRESS_FINISHED = ROOT + "/PROGRESS_FINISHED";
    /**
     * runningNodesChanged(): nodes went offline or came back. Keys: {@link #NODES} (running now),
     * {@link #LOST}, {@link #RECOVERED}, {@link #RESTARTING} (Boolean).
     */
    public static final String RUNNING_NODES_CHANGED = ROOT + "/RUNNING_NODES_CHANGED";
    /** started(): the cluster started. Keys: {@link #NODES}. */
    public static final String STARTED = ROOT + "/STARTED";
    /** stopped(): the cluster stopped. No extra keys. */
    public static final String STOPPED = ROOT + "/STOPPED";
    /**
     * A running node answered a heartbeat. Keys: {@link #NODE} (address), {@link #CPU_PERCENT} (Double,
     * 0..100 of all cores), {@link #MEMORY_USED_MB} (Long), {@link #MEMORY_TOTAL_MB} (Long).
     */
    public static final String NODE_HEARTBEAT = ROOT + "/node/HEARTBEAT";

    /** Key: the configuration XML. */
    public static final String CONFIG = "config";
    /** Key: list of node addresses concerned. */
    public static final String HOSTS = "hosts";
    /** Key: list of master ids holding {@link #HOSTS}. */
    public static final String HELD_BY = "heldBy";
    /** Key: Boolean, the condition was reported but allowed by the service's settings. */
    public static final String ALLOWED = "allowed";
    /** Key: Long, memory a node needs for the current scene, MB. */
    public static final String REQUIRED_MB = "requiredMB";
    /** Key: String, what the connection process is doing. */
    public static final String ACTION = "action";
    /** Key: Integer 0..100. */
    public static final String PROGRESS = "progress";
    /** Key: Boolean, the connection process started at least one node. */
    public static final String SUCCESS = "success";
    /** Key: Boolean, the connection process was aborted. */
    public static final String ABORTED = "aborted";
    /** Key: list of running node addresses. */
    public static final String NODES = "nodes";
    /** Key: list of node addresses that stopped answering. */
    public static final String LOST = "lost";
    /** Key: list of node addresses that came back. */
    public static final String RECOVERED = "recovered";
    /** Key: Boolean, {@link ClusterService#isRestarting()}. */
    public static final String RESTARTING = "restarting";
    /** Key: a node address. */
    public static final String NODE = "node";
    /** Key: Double, CPU use 0..100. */
    public static final String CPU_PERCENT = "cpuPercent";
    /** Key: Long, MB. */
    public static final String MEMORY_USED_MB = "memoryUsedMB";
    /** Key: Long, MB. */
    public static final String MEMORY_TOTAL_MB = "memoryTotalMB";

    private ClusterEvents() {
    }
}
