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
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tessera.cluster.core.ClusterEvents;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.ClusterService;
import org.tessera.cluster.core.NodeStatus;
import org.tessera.cluster.core.node.NodeClient;
import org.tessera.render.core.DisplayOptions;
import org.tessera.render.core.EngineCapability;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.StereoEye;
import org.tessera.render.core.StereoUnsupportedException;
import org.tessera.render.core.ImageTooLargeException;
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

/**
 * The {@link TileRenderer} service: engines come and go dynamically; events go to EventAdmin when present.
 * A job on the running cluster follows its membership through {@link ClusterEvents} ({@link ClusterMembership}).
 * Configuration PID {@value #PID} (docs/configuration.md, "Cluster"), applied to the next job.
 */
@Component(service = TileRenderer.class, configurationPid = TileRendererComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TileRendererComponent.Config.class)
public class TileRendererComponent implements TileRenderer {
    /** Configuration PID: {@value}. */
    public static final String PID = "org.tessera.render.tiles";

    /** How the renderer uses cluster nodes. */
    @ObjectClassDefinition(id = PID, name = "Tessera tile renderer", description = "How jobs use the render cluster's nodes")
    public @interface Config {
        @AttributeDefinition(name = "Tiles per node", description = "Tiles in flight on each cluster node at once "
                + "(1 .. 256)", min = "1", max = "256")
        int nodeCapacity() default 2;
    }

    private final List<RenderEngine> engines = new CopyOnWriteArrayList<>();
    private volatile EventAdmin eventAdmin;
    private volatile RenderTracker tracker;
    private volatile ClusterService cluster;
    private volatile RowCostProfiles profiles = new RowCostProfiles(null);
    private volatile int nodeCapacity = 2;
    private volatile ClusterMembership membership;
    private NodeClient nodeClient;
    private String nodeClientKey;

    /** Row-cost profiles persist in the bundle's data area, so a scene rendered before starts balanced. */
    @Activate
    void activate(BundleContext context, Config config) {
        java.io.File data = context.getDataFile("row-costs");
        profiles = new RowCostProfiles(data == null ? null : data.toPath());
        modified(config);
        membership = ClusterMembership.register(context, () -> cluster, this::remoteWorker);
    }

    @Modified
    void modified(Config config) {
        nodeCapacity = Math.max(1, Math.min(256, config.nodeCapacity()));
    }

    @Deactivate
    void deactivate() {
        ClusterMembership m = membership;
        membership = null;
        if (m != null) {
            m.close();
        }
        synchronized (this) {
            if (nodeClient != null) {
                nodeClient.close();
                nodeClient = null;
            }
        }
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
        if (workers.isEmpty() && c != null && c.isRunning()) {
            for (ClusterNode node : runningNodes(c)) {
                workers.add(remoteWorker(node, c));
            }
            onCluster = !workers.isEmpty();
            if (onCluster) {
                request = withClusterDisplay(request, c.getConfigModel().display());
            }
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
        ClusterMembership m = membership;
        if (onCluster && m != null) {
            m.follow(run, workers.stream().map(TileWorker::name).toList());
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

    /** Capacity of a cluster node as a worker: configuration {@value #PID}, {@code nodeCapacity}, default 2 tiles in flight. */
    int nodeCapacity() {
        return nodeCapacity;
    }

    /** The running nodes of the cluster, typed. */
    static List<ClusterNode> runningNodes(ClusterService c) {
        return c.getNodeStatus().stream().filter(s -> s.state() == NodeStatus.State.RUNNING).map(NodeStatus::node).toList();
    }

    private RemoteTileWorker remoteWorker(ClusterNode node, ClusterService c) {
        return new RemoteTileWorker(nodeClient(c.getMasterId()), node, nodeCapacity());
    }

    /** One node client for all remote workers of this master; a new one when the master or the token changed. */
    private synchronized NodeClient nodeClient(String masterId) {
        String token = RemoteTileWorker.defaultToken();
        String key = masterId + "\n" + java.util.Objects.hashCode(token);
        if (nodeClient == null || !key.equals(nodeClientKey)) {
            // an older client stays open for the jobs that still use it; it is released when they are gone
            nodeClient = NodeClient.builder(masterId).token(token).connectTimeout(RemoteTileWorker.CONNECT_TIMEOUT).build();
            nodeClientKey = key;
        }
        return nodeClient;
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
