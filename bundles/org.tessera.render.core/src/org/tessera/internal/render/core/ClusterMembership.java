// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.tessera.cluster.core.ClusterEvents;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.ClusterService;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderJob;
import org.tessera.render.core.TileWorker;

/**
 * Jobs on the cluster follow its membership: on {@link ClusterEvents#RUNNING_NODES_CHANGED},
 * {@link ClusterEvents#STARTED} and {@link ClusterEvents#STOPPED} a node that left stops taking tiles (a tile
 * it has in flight still counts if it arrives) and a node that joined, or came back, becomes a worker again
 * (unless it failed tiles of this job). Nothing polls: the
 * cluster's own heartbeats notice a dead node, and the event brings the news here.
 */
final class ClusterMembership implements EventHandler, AutoCloseable {
    /** Per followed job: its cluster workers active now, by node address. */
    private static final class Followed {
        final Set<String> active = new HashSet<>();
    }

    private final Supplier<ClusterService> cluster;
    private final BiFunction<ClusterNode, ClusterService, TileWorker> workers;
    private final Map<RenderJob, Followed> jobs = new WeakHashMap<>();
    private ServiceRegistration<EventHandler> registration;

    ClusterMembership(Supplier<ClusterService> cluster, BiFunction<ClusterNode, ClusterService, TileWorker> workers) {
        this.cluster = cluster;
        this.workers = workers;
    }

    /** A membership listening to the cluster's events through the whiteboard. */
    static ClusterMembership register(BundleContext context, Supplier<ClusterService> cluster,
            BiFunction<ClusterNode, ClusterService, TileWorker> workers) {
        ClusterMembership m = new ClusterMembership(cluster, workers);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, new String[] { ClusterEvents.RUNNING_NODES_CHANGED, ClusterEvents.STARTED,
                ClusterEvents.STOPPED });
        m.registration = context.registerService(EventHandler.class, m, props);
        return m;
    }

    /** Follows the cluster for the job, which starts with the workers named {@code initial}. */
    synchronized void follow(RenderJob job, List<String> initial) {
        Followed f = new Followed();
        f.active.addAll(initial);
        jobs.put(job, f);
    }

    /** Jobs followed now (tests). */
    synchronized int followed() {
        jobs.keySet().removeIf(j -> j.state() != JobState.RUNNING);
        return jobs.size();
    }

    @Override
    public void handleEvent(Event event) {
        ClusterService c = cluster.get();
        List<ClusterNode> running = c == null || !c.isRunning() ? List.of() : TileRendererComponent.runningNodes(c);
        Set<String> now = new HashSet<>();
        running.forEach(n -> now.add(n.address()));
        synchronized (this) {
            jobs.keySet().removeIf(j -> j.state() != JobState.RUNNING);
            for (var e : jobs.entrySet()) {
                RenderJob job = e.getKey();
                Followed f = e.getValue();
                for (ClusterNode n : running) {
                    if (!f.active.contains(n.address())) {
                        try {
                            job.addWorker(workers.apply(n, c)); // joined, or came back after it was lost
                            f.active.add(n.address());
                        } catch (IllegalArgumentException failedInThisJob) {
                            // the scheduler blocklisted it for this job: it stays out
                        }
                    }
                }
                // every node of a running cluster lost at once (restarting): the workers stay, their tiles fail or
                // wait for the nodes to come back, rather than the job failing at once with no worker left
                boolean restartingWithNone = now.isEmpty() && c != null && c.isRunning();
                for (String a : List.copyOf(f.active)) {
                    if (!now.contains(a) && !restartingWithNone) {
                        job.removeWorker(a);
                        f.active.remove(a);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            registration = null;
        }
    }
}
