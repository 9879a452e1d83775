// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.node;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tessera.cluster.core.NodeInfo;
import org.tessera.cluster.core.NodeProtocol;
import org.tessera.node.NodeSettings;

/**
 * What a node server remembers: which masters hold it (claims with leases), licence seats checked out,
 * display settings, and the content-addressed scene cache. Thread-safe; all state is in memory, so a
 * restarted node starts free.
 */
public final class NodeState {
    private static final long MB = 1024 * 1024;

    private final NodeSettings settings;
    private final String name;
    private final long startedNanos = System.nanoTime();
    private final Map<String, Long> claims = new LinkedHashMap<>(); // master -> lease end (nanoTime)
    private final Set<String> licenses = new HashSet<>();
    private final Map<String, byte[]> scenes = new LinkedHashMap<>(16, 0.75f, true);
    private long sceneBytes;
    private boolean showTiles;
    private boolean showTestImage;
    private double eyeSeparation = 65;
    private double zeroParallax = 1000;

    public NodeState(NodeSettings settings, String name) {
        this.settings = settings;
        this.name = name;
    }

    public String name() {
        return name;
    }

    private void expire() {
        long now = System.nanoTime();
        claims.entrySet().removeIf(e -> {
            boolean gone = now - e.getValue() > 0;
            if (gone) {
                licenses.remove(e.getKey());
            }
            return gone;
        });
    }

    /** Result of a claim: null when granted, else the masters holding the node. */
    public synchronized List<String> claim(String master, boolean shared, long leaseMillis) {
        expire();
        List<String> others = claims.keySet().stream().filter(m -> !m.equals(master)).toList();
        if (!others.isEmpty() && !shared) {
            return others;
        }
        long lease = Math.max(1000, Math.min(leaseMillis <= 0 ? NodeProtocol.DEFAULT_LEASE_MILLIS : leaseMillis, 3_600_000));
        claims.put(master, System.nanoTime() + lease * 1_000_000);
        return null;
    }

    /** Renews a master's claim if it holds one (its heartbeat). */
    public synchronized void renew(String master) {
        expire();
        Long end = claims.get(master);
        if (end != null) {
            claims.put(master, System.nanoTime() + NodeProtocol.DEFAULT_LEASE_MILLIS * 1_000_000);
        }
    }

    public synchronized void release(String master) {
        claims.remove(master);
        licenses.remove(master);
    }

    /** True when the master holds (or now took) one of this node's seats. */
    public synchronized boolean checkoutLicense(String master) {
        expire();
        if (!claims.containsKey(master)) {
            return false;
        }
        if (licenses.contains(master)) {
            return true;
        }
        if (licenses.size() >= settings.licenseSeats()) {
            return false;
        }
        licenses.add(master);
        return true;
    }

    public synchronized void releaseLicense(String master) {
        licenses.remove(master);
    }

    public synchronized void display(boolean tiles, boolean testImage, double eye, double parallax) {
        showTiles = tiles;
        showTestImage = testImage;
        eyeSeparation = eye;
        zeroParallax = parallax;
    }

    /** Whether a master asked for the test image ({@code setShowTestImage(true)}): tiles then show it. */
    public synchronized boolean showTestImage() {
        return showTestImage;
    }

    public synchronized double eyeSeparation() {
        return eyeSeparation;
    }

    public synchronized double zeroParallax() {
        return zeroParallax;
    }

    /** Stores a scene under its hash, evicting the least recently used beyond 4x the upload limit. */
    public synchronized void putScene(String sha256, byte[] data) {
        byte[] old = scenes.put(sha256, data);
        sceneBytes += data.length - (old == null ? 0 : old.length);
        long limit = 4L * settings.maxSceneMB() * MB;
        var it = scenes.entrySet().iterator();
        while (sceneBytes > limit && it.hasNext()) {
            var e = it.next();
            if (!e.getKey().equals(sha256)) {
                sceneBytes -= e.getValue().length;
                it.remove();
            }
        }
    }

    public synchronized byte[] scene(String sha256) {
        return scenes.get(sha256);
    }

    public synchronized NodeInfo info(int port, List<String> engines) {
        expire();
        Runtime rt = Runtime.getRuntime();
        long used = (rt.totalMemory() - rt.freeMemory()) / MB;
        long total = settings.memoryLimitMB() > 0 ? settings.memoryLimitMB() : rt.maxMemory() / MB;
        int cores = rt.availableProcessors();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double cpu = load < 0 ? 0 : Math.min(100, load / cores * 100);
        String host = name.substring(0, name.lastIndexOf(':'));
        return new NodeInfo(name, host, port, NodeVerb.VERSION, NodeProtocol.VERSION, cores, cpu, total, used,
                Math.max(0, total - used), settings.licenseSeats(), licenses.size(), new ArrayList<>(claims.keySet()),
                showTiles, showTestImage, scenes.size(), engines, (System.nanoTime() - startedNanos) / 1_000_000);
    }
}
