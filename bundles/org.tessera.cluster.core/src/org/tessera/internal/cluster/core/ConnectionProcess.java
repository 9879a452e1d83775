// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.tessera.cluster.core.ClusterConfig;
import org.tessera.cluster.core.ClusterEvents;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.NodeInfo;
import org.tessera.cluster.core.NodeProtocol;
import org.tessera.cluster.core.NodeStatus;
import org.tessera.cluster.core.node.NodeClient;
import org.tessera.cluster.core.node.NodeRequestException;

/**
 * One run of the connection process of {@code ClusterService.start()}: hello to every enabled node in
 * parallel, the other-master and memory checks (with their events), claims, licences, display settings.
 * Abortable between and during the parallel steps.
 */
final class ConnectionProcess {

    /** The switches of the service at the time of the start. */
    record Rules(boolean allowMultipleServers, boolean ignoreNotEnoughMemory, boolean localLicenseCheckout,
            boolean consumptionBased, int licenseSeats, long requiredMemoryMB) {
    }

    /**
     * What the start gave.
     *
     * @param members  the started nodes, configuration order
     * @param problems one line per refused node ({@code host:port: reason}), plus "start aborted"
     * @param refused  reason per refused node's address
     * @param aborted  true when {@code abortProgress()} ended it
     */
    record Outcome(List<Member> members, List<String> problems, Map<String, String> refused, boolean aborted) {
    }

    private final NodeClient client;
    private final Executor io;
    private final EventPoster events;
    private final AtomicBoolean aborted;
    private final String masterId;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> refused = new LinkedHashMap<>();

    ConnectionProcess(NodeClient client, Executor io, EventPoster events, AtomicBoolean aborted) {
        this.client = client;
        this.io = io;
        this.events = events;
        this.aborted = aborted;
        this.masterId = client.masterId();
    }

    static long leaseMillis(ClusterConfig cfg) {
        return Math.max(NodeProtocol.DEFAULT_LEASE_MILLIS, 5L * cfg.options().heartbeatMillis());
    }

    private void refuse(ClusterNode n, String reason) {
        refused.put(n.address(), reason);
        problems.add(n.address() + ": " + reason);
    }

    Outcome run(ClusterConfig cfg, List<ClusterNode> nodes, Rules rules) {
        int total = nodes.size();
        events.progress("Connecting to " + total + " node" + (total == 1 ? "" : "s"), 0);

        // 1. hello, in parallel
        Map<ClusterNode, CompletableFuture<NodeInfo>> hello = new LinkedHashMap<>();
        for (ClusterNode n : nodes) {
            hello.put(n, NodeCalls.async(io, () -> client.info(n)));
        }
        Map<ClusterNode, NodeInfo> infos = new LinkedHashMap<>();
        int[] done = {0};
        boolean ok = awaitAll(hello, (n, f) -> {
            done[0]++;
            try {
                infos.put(n, f.join());
                events.progress("Connected to " + n.address(), 60 * done[0] / total);
            } catch (RuntimeException e) {
                refuse(n, NodeClient.reason(e));
                events.progress("No answer from " + n.address(), 60 * done[0] / total);
            }
        });
        if (!ok) {
            return aborted(List.of());
        }
        List<ClusterNode> candidates = nodes.stream().filter(infos::containsKey).toList();

        // 2. other masters
        List<String> held = new ArrayList<>();
        List<String> heldBy = new ArrayList<>();
        for (ClusterNode n : candidates) {
            List<String> masters = infos.get(n).masters();
            if (!masters.isEmpty() && !masters.contains(masterId)) {
                held.add(n.address());
                heldBy.add(String.join(",", masters));
            }
        }
        if (!held.isEmpty()) {
            events.post(ClusterEvents.MULTIPLE_SERVERS_FOUND, ClusterEvents.HOSTS, List.copyOf(held), ClusterEvents.HELD_BY,
                    List.copyOf(heldBy), ClusterEvents.ALLOWED, rules.allowMultipleServers());
            if (!rules.allowMultipleServers()) {
                for (ClusterNode n : candidates) {
                    int i = held.indexOf(n.address());
                    if (i >= 0) {
                        refuse(n, "already used by another master (" + heldBy.get(i)
                                + "); setAllowMultipleServers(true) to share it");
                    }
                }
                candidates = candidates.stream().filter(n -> !held.contains(n.address())).toList();
            }
        }

        // 3. memory
        long required = rules.requiredMemoryMB();
        List<ClusterNode> low = candidates.stream().filter(n -> infos.get(n).memoryFreeMB() < required).toList();
        if (!low.isEmpty()) {
            events.post(ClusterEvents.NOT_ENOUGH_MEMORY_FOUND, ClusterEvents.HOSTS,
                    low.stream().map(ClusterNode::address).toList(), ClusterEvents.REQUIRED_MB, required,
                    ClusterEvents.ALLOWED, rules.ignoreNotEnoughMemory());
            if (!rules.ignoreNotEnoughMemory()) {
                for (ClusterNode n : low) {
                    refuse(n, "not enough memory (" + infos.get(n).memoryFreeMB() + " MB free, " + required
                            + " MB needed); setIgnoreNotEnoughMemory(true) to use it anyway");
                }
                candidates = candidates.stream().filter(n -> !low.contains(n)).toList();
            }
        }
        if (aborted.get()) {
            return aborted(List.of());
        }

        // 4. claim, in parallel
        events.progress("Claiming " + candidates.size() + " node" + (candidates.size() == 1 ? "" : "s"), 65);
        long lease = leaseMillis(cfg);
        Map<ClusterNode, CompletableFuture<Void>> claims = new LinkedHashMap<>();
        for (ClusterNode n : candidates) {
            claims.put(n, NodeCalls.async(io, () -> {
                client.claim(n, rules.allowMultipleServers(), lease);
                return null;
            }));
        }
        List<ClusterNode> claimed = Collections.synchronizedList(new ArrayList<>());
        ok = awaitAll(claims, (n, f) -> {
            try {
                f.join();
                claimed.add(n);
            } catch (RuntimeException e) {
                refuse(n, (cause(e) instanceof NodeRequestException ? "claim refused (" : "claim failed (")
                        + NodeClient.reason(e) + ")");
            }
        });
        List<ClusterNode> claimedInOrder = candidates.stream().filter(claimed::contains).toList();
        if (!ok) {
            return aborted(claimedInOrder);
        }

        // 5. licences
        events.progress("Checking out licences", 80);
        List<Member> started = new ArrayList<>();
        List<ClusterNode> unlicensed = new ArrayList<>();
        if (rules.consumptionBased()) {
            claimedInOrder.forEach(n -> started.add(new Member(n, NodeStatus.Licence.METERED)));
        } else if (rules.localLicenseCheckout()) {
            int seats = rules.licenseSeats();
            for (ClusterNode n : claimedInOrder) {
                if (started.size() < seats) {
                    started.add(new Member(n, NodeStatus.Licence.MASTER_SEAT));
                } else {
                    unlicensed.add(n);
                    refuse(n, "no licence seat left in this master's pool (" + seats
                            + " seats); raise setLicenseSeats or use consumption-based licensing");
                }
            }
        } else {
            Map<ClusterNode, CompletableFuture<Void>> checkouts = new LinkedHashMap<>();
            for (ClusterNode n : claimedInOrder) {
                checkouts.put(n, NodeCalls.async(io, () -> {
                    client.checkoutLicense(n);
                    return null;
                }));
            }
            Map<ClusterNode, Boolean> granted = new HashMap<>();
            ok = awaitAll(checkouts, (n, f) -> {
                try {
                    f.join();
                    granted.put(n, true);
                } catch (RuntimeException e) {
                    granted.put(n, false);
                    refuse(n, (cause(e) instanceof NodeRequestException ? "node has no licence ("
                            : "licence checkout failed (") + NodeClient.reason(e) + ")");
                }
            });
            if (!ok) {
                return aborted(claimedInOrder);
            }
            for (ClusterNode n : claimedInOrder) {
                if (granted.getOrDefault(n, false)) {
                    started.add(new Member(n, NodeStatus.Licence.NODE_SEAT));
                } else {
                    unlicensed.add(n);
                }
            }
        }
        NodeCalls.release(io, client, unlicensed);
        if (aborted.get()) {
            return aborted(claimedInOrder);
        }
        if (!started.isEmpty()) {
            NodeCalls.awaitQuietly(NodeCalls.display(io, client, started.stream().map(m -> m.node).toList(), cfg.display()));
        }
        return new Outcome(List.copyOf(started), List.copyOf(problems), Map.copyOf(refused), false);
    }

    private Outcome aborted(List<ClusterNode> claimed) {
        NodeCalls.release(io, client, claimed);
        problems.add("start aborted");
        return new Outcome(List.of(), List.copyOf(problems), Map.copyOf(refused), true);
    }

    private static Throwable cause(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Waits for all futures, calling {@code each} as they finish; false when aborted first. */
    private <T> boolean awaitAll(Map<ClusterNode, CompletableFuture<T>> futures, BiConsumer<ClusterNode, CompletableFuture<T>> each) {
        List<ClusterNode> pending = new ArrayList<>(futures.keySet());
        while (!pending.isEmpty()) {
            if (aborted.get()) {
                futures.values().forEach(f -> f.cancel(true));
                return false;
            }
            for (var it = pending.iterator(); it.hasNext();) {
                ClusterNode n = it.next();
                CompletableFuture<T> f = futures.get(n);
                if (f.isDone()) {
                    it.remove();
                    each.accept(n, f);
                }
            }
            if (!pending.isEmpty()) {
                try {
                    CompletableFuture.anyOf(pending.stream().map(futures::get).toArray(CompletableFuture[]::new))
                            .get(20, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // poll again; failures are read from each future
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    aborted.set(true);
                }
            }
        }
        return !aborted.get();
    }
}
