// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Controls a raytracing cluster: a master (this process) connected to node servers
 * ({@code tessera node serve}) on render PCs. The functions are those of VRED's
 * {@code vrClusterService}; its signals are the EventAdmin topics in {@link ClusterEvents}.
 * <pre>
 * cluster.setConfig("pc1 pc2 192.168.178.46");
 * cluster.start();   // rendering is done on pc1, pc2 and 192.168.178.46
 * cluster.stop();
 * </pre>
 * Thread-safe. {@link #start()} blocks until the connection process ends; {@link #abortProgress()}
 * from another thread ends it early.
 */
@ProviderType
public interface ClusterService {

    /** Aborts a running connection process ({@link #start()} then returns false). No-op otherwise. */
    void abortProgress();

    /** True if nodes already held by another master may be used (default false). */
    boolean getAllowMultipleServers();

    /** Allows or refuses nodes that another master holds. */
    void setAllowMultipleServers(boolean value);

    /** The current configuration as the XML document of {@code docs/cluster-config.md}. */
    String getConfig();

    /** The current configuration as a model. */
    ClusterConfig getConfigModel();

    /**
     * Changes the configuration: a host list (names or addresses separated by spaces or commas, ranges,
     * groups) or an XML document. Fires {@link ClusterEvents#CONFIG_CHANGED}; takes effect at the next
     * {@link #start()}.
     *
     * @throws ClusterConfigException naming the line and token at fault; the old configuration stays
     */
    void setConfig(String configuration);

    /** Resets the configuration to its default (configuration {@code org.tessera.cluster}, {@code defaultConfig}; {@code localhost} when not set). */
    void setDefaultConfig();

    /**
     * Reads a configuration file (XML or host list).
     *
     * @return true if loaded; false otherwise, with the reason in {@link #getProblems()}
     */
    boolean loadConfig(String fileName);

    /** Converts a host list to the XML configuration document. @throws ClusterConfigException on bad input */
    String hostListToConfig(String hostList);

    /** True if consumption-based licensing (metered node-minutes, no seats) is on (default false). */
    boolean getConsumptionBasedLicensing();

    void setConsumptionBasedLicensing(boolean value);

    /** True if nodes are started even when their free memory is below the scene estimate (default false). */
    boolean getIgnoreNotEnoughMemory();

    void setIgnoreNotEnoughMemory(boolean value);

    /**
     * True if licences are checked out by this master from its seat pool (default); false if each node
     * checks out its own.
     */
    boolean getLocalLicenseCheckout();

    void setLocalLicenseCheckout(boolean value);

    /** Addresses ({@code host:port}) of the nodes connected now. */
    List<String> getRunningNodes();

    /**
     * Every configured node with its state, its last report (from the heartbeats: cores, CPU, memory,
     * licence seats, masters, engines), its licence and its last speed test, in configuration order. Asks
     * no node: views call it on {@link ClusterEvents} and stay off the network.
     *
     * @since 0.2
     */
    List<NodeStatus> getNodeStatus();

    boolean getShowTestImage();

    /** Shows or hides the nodes' test image (display clusters); sent to running nodes at once. */
    void setShowTestImage(boolean value);

    boolean getShowTiles();

    /** Shows or hides tile borders (debugging); sent to running nodes at once. */
    void setShowTiles(boolean value);

    /** Sets the eye separation for display clusters, millimetres. */
    void setEyeSeparation(double value);

    /** Sets the zero-parallax distance for display clusters, millimetres. */
    void setZeroParallax(double value);

    /** True if the cluster runs and every running node holds a licence (or consumption-based licensing is on). */
    boolean hasLicense();

    /** True while the cluster is running but tries to bring lost nodes back. */
    boolean isRestarting();

    /** True if the cluster is running. */
    boolean isRunning();

    /**
     * Measures each running node: round-trip latency and throughput both ways with real payloads. One
     * line per node: {@code <host:port> latency_ms=<median> down_MBps=<n> up_MBps=<n> bytes=<payload>},
     * or {@code <host:port> error=<reason>}. MB = 10^6 bytes.
     */
    List<String> runSpeedTest();

    /**
     * The speed test of {@link #runSpeedTest()} as typed results, one per running node; each is also kept in
     * {@link #getNodeStatus()}. Empty when the cluster is not running (the reason in {@link #getProblems()}).
     *
     * @since 0.2
     */
    List<SpeedTestResult> runSpeedTests();

    /**
     * Starts the cluster with the current configuration: connects to all enabled nodes in parallel,
     * checks other masters, memory and licences, claims the nodes that pass.
     *
     * @return true if at least one node started; otherwise false with reasons in {@link #getProblems()}
     */
    boolean start();

    /** Stops the cluster: releases nodes and licences. Fires {@link ClusterEvents#STOPPED}. */
    void stop();

    /** Why nodes were refused or a call failed, one line each, from the last start or load. */
    List<String> getProblems();

    /** Memory a node needs for the current scene, MB (default: this process's used heap). */
    long getRequiredMemoryMB();

    /** Sets the scene's memory estimate, MB; 0 or less goes back to the default. */
    void setRequiredMemoryMB(long megabytes);

    /** Seats in this master's licence pool (configuration {@code org.tessera.cluster}, {@code licenseSeats}, default 32). */
    int getLicenseSeats();

    void setLicenseSeats(int seats);

    /** Node-seconds metered so far under consumption-based licensing. */
    double getConsumedNodeSeconds();

    /** This master's id as nodes see it ({@code user@host/uuid}). */
    String getMasterId();
}
