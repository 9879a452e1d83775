// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.ClusterService;
import org.tessera.render.core.DisplayOptions;
import org.tessera.render.core.EngineCapability;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.StereoEye;
import org.tessera.render.core.StereoUnsupportedException;
import org.tessera.render.core.ImageTooLargeException;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderJob;
import org.tessera.render.core.RenderProgressListener;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.StaleFramesException;
import org.tessera.render.core.TileRenderer;
import org.tessera.render.core.TileWorker;
import org.tessera.tracker.core.RenderTracker;

/** The {@link TileRenderer} service: engines come and go dynamically; events go to EventAdmin when present. */
@Component(service = TileRenderer.class)
public class TileRendererComponent implements TileRenderer {

    private final List<RenderEngine> engines = new CopyOnWriteArrayList<>();
    private volatile EventAdmin eventAdmin;
    private volatile RenderTracker tracker;
    private volatile ClusterService cluster;
    private volatile RowCostProfiles profiles = new RowCostProfiles(null);

    /** Row-cost profiles persist in the bundle's data area, so a scene rendered before starts balanced. */
    @Activate
    void activate(BundleContext context) {
        java.io.File data = context.getDataFile("row-costs");
        profiles = new RowCostProfiles(data == null ? null : data.toPath());
    }

    /** Tile timeout of remote workers when the request sets none: a hung node's tile goes elsewhere after this. */
    public static final Duration REMOTE_TILE_TIMEOUT = Duration.ofMinutes(5);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTracker(RenderTracker t) {
        tracker = t;
    }

    void unsetTracker(RenderTracker t) {
        if (tracker == t) {
            tracker = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setCluster(ClusterService c) {
        cluster = c;
    }

    void unsetCluster(ClusterService c) {
        if (cluster == c) {
            cluster = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEngine(RenderEngine engine) {
        engines.add(engine);
    }

    void removeEngine(RenderEngine engine) {
        engines.remove(engine);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin admin) {
        eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (eventAdmin == admin) {
            eventAdmin = null;
        }
    }

    @Override
    public RenderJob start(RenderRequest request0, RenderProgressListener listener) throws RenderException {
        RenderRequest request = request0;
        if (!request.scene().exists()) {
            throw new SceneException("scene file " + request.scene().file() + " does not exist or is not readable");
        }
        ImageTooLargeException.check("a frame of", request.width(), request.height()); // before any canvas is allocated
        RenderEngine engine = chooseEngine(request);
        if (request.display().stereo()) {
            throw new StereoUnsupportedException("a stereo request renders as two jobs, one per eye: start each of"
                    + " RenderRequest.eyes()");
        }
        if (request.eye() != StereoEye.CENTER && !engine.capabilities().contains(EngineCapability.STEREO)) {
            throw new StereoUnsupportedException("render engine '" + engine.name() + "' cannot render stereo (its camera"
                    + " is defined in the scene file); render each eye with its own camera, or use an engine with"
                    + " stereo: " + engines().stream().filter(e -> e.capabilities().contains(EngineCapability.STEREO))
                            .map(RenderEngine::name).toList());
        }
        engine.checkOptions(request.engineOptions(), request.engineIni());
        java.util.SortedMap<Integer, String> stale = RenderJobRun.staleFrames(request, engine.name());
        if (!stale.isEmpty()) {
            int first = stale.firstKey();
            throw new StaleFramesException(stale.size() + " frame file(s) of this job exist but were rendered with other "
                    + "settings, e.g. " + request.frameFile(first) + " (frame " + first + ") records '" + stale.get(first)
                    + "', this job renders it with '" + RenderJobRun.settingsRecord(request, engine.name(), first)
                    + "'. Render them again with --force (tessera render; RenderRequest.withForce), or into another "
                    + "output (--out)", List.copyOf(stale.keySet()));
        }
        List<TileWorker> workers = new ArrayList<>(request.workers());
        ClusterService c = cluster;
        boolean onCluster = false;
        if (workers.isEmpty() && c != null && c.isRunning() && !c.getRunningNodes().isEmpty()) {
            for (String address : c.getRunningNodes()) {
                workers.add(remoteWorker(address, c));
            }
            onCluster = true;
            request = withClusterDisplay(request, c.getConfigModel().display());
        }
        if (!workers.isEmpty() && request.tileTimeout().isZero()
                && workers.stream().anyMatch(w -> w instanceof RemoteTileWorker)) {
            request = request.withTileTimeout(REMOTE_TILE_TIMEOUT);
        }
        if (workers.isEmpty()) {
            int n = request.localWorkers() > 0 ? request.localWorkers() : Runtime.getRuntime().availableProcessors();
            for (int i = 1; i <= n; i++) {
                workers.add(new LocalTileWorker("local-" + i, name -> engine(name).orElse(null)));
            }
        }
        String id = "job-" + UUID.randomUUID().toString().substring(0, 8);
        RenderJobRun run = new RenderJobRun(id, request, engine, workers,
                listener == null ? RenderProgressListener.none() : listener, this::post,
                new TrackerObserver(() -> tracker, request.project()), profiles).start();
        if (onCluster) {
            followCluster(run, c, workers.stream().map(TileWorker::name).toList());
        }
        return run;
    }

    /**
     * On a running cluster its display settings apply: the test image when {@code setShowTestImage(true)},
     * and for a stereo eye the cluster's eye separation and zero parallax where the request sets none.
     * (The cluster's {@code showTiles} is for the live view; frames get tiles only when the request asks.)
     */
    static RenderRequest withClusterDisplay(RenderRequest request, org.tessera.cluster.core.DisplaySettings cluster) {
        DisplayOptions d = request.display();
        d = d.withShowTestImage(d.showTestImage() || cluster.showTestImage());
        if (request.eye() != StereoEye.CENTER) {
            if (!d.hasEyeSeparation()) {
                d = d.withEyeSeparation(cluster.eyeSeparation());
            }
            if (d.zeroParallax() == 0) {
                d = d.withZeroParallax(cluster.zeroParallax());
            }
        }
        return request.withDisplay(d);
    }

    /** Capacity of a cluster node as a worker: {@code -Dtessera.render.nodeCapacity}, default 2 tiles in flight. */
    static int nodeCapacity() {
        return Math.max(1, Integer.getInteger("tessera.render.nodeCapacity", 2));
    }

    private static RemoteTileWorker remoteWorker(String address, ClusterService c) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        ClusterNode node = ClusterNode.of(host, Integer.parseInt(address.substring(colon + 1)));
        return new RemoteTileWorker(node, nodeCapacity(), RemoteTileWorker.defaultToken(), c.getMasterId());
    }

    /** While the job runs, nodes joining the cluster become workers and nodes leaving it stop taking tiles. */
    private static void followCluster(RenderJobRun run, ClusterService c, List<String> initial) {
        Thread t = new Thread(() -> {
            java.util.Set<String> known = new java.util.HashSet<>(initial);
            java.util.Set<String> active = new java.util.HashSet<>(initial);
            try {
                while (run.state() == JobState.RUNNING) {
                    Thread.sleep(200);
                    List<String> now = c.isRunning() ? c.getRunningNodes() : List.of();
                    for (String a : now) {
                        if (known.add(a)) {
                            try {
                                run.addWorker(remoteWorker(a, c));
                                active.add(a);
                            } catch (IllegalArgumentException e) {
                                // already in the job
                            }
                        }
                    }
                    for (String a : List.copyOf(active)) {
                        if (!now.contains(a)) {
                            run.removeWorker(a);
                            active.remove(a);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tessera-render-cluster-" + run.id());
        t.setDaemon(true);
        t.start();
    }

    private RenderEngine chooseEngine(RenderRequest request) throws RenderException {
        if (request.engine() != null) {
            return engine(request.engine()).orElseThrow(() -> new EngineUnavailableException("no render engine named '"
                    + request.engine() + "' is installed; installed: " + names()));
        }
        return engines().stream().filter(e -> e.accepts(request.scene())).findFirst()
                .orElseThrow(() -> new EngineUnavailableException("no installed render engine reads "
                        + request.scene().mainFile() + "; installed: " + names()));
    }

    private List<String> names() {
        return engines().stream().map(RenderEngine::name).toList();
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
    }

    @Override
    public List<RenderEngine> engines() {
        List<RenderEngine> list = new ArrayList<>(engines);
        list.sort(Comparator.comparing(RenderEngine::name));
        return list;
    }

    @Override
    public Optional<RenderEngine> engine(String name) {
        return engines.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
