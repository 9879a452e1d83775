// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.DisplaySettings;
import org.tessera.cluster.core.node.NodeClient;
import org.tessera.cluster.core.node.NodeException;

/** Node calls of the blocking {@link NodeClient} run in parallel on the cluster's virtual threads. */
final class NodeCalls {
    private static final System.Logger LOG = System.getLogger(NodeCalls.class.getName());

    /** One blocking call. */
    interface Call<T> {
        T call() throws NodeException, InterruptedException;
    }

    private NodeCalls() {
    }

    /** The call on {@code io}; its NodeException completes the future exceptionally. */
    static <T> CompletableFuture<T> async(Executor io, Call<T> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (NodeException e) {
                throw new CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, io);
    }

    /** Sends the display settings to the nodes. */
    static List<CompletableFuture<?>> display(Executor io, NodeClient c, List<ClusterNode> nodes, DisplaySettings d) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (ClusterNode n : nodes) {
            all.add(async(io, () -> {
                c.display(n, d);
                return null;
            }));
        }
        return all;
    }

    /** Releases this master's claim on the nodes, waiting for the answers (at most 30 s). */
    static void release(Executor io, NodeClient c, List<ClusterNode> nodes) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (ClusterNode n : nodes) {
            all.add(async(io, () -> {
                c.release(n);
                return null;
            }));
        }
        awaitQuietly(all);
    }

    static void awaitQuietly(List<CompletableFuture<?>> futures) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "some nodes did not confirm: " + NodeClient.reason(e));
        }
    }
}
