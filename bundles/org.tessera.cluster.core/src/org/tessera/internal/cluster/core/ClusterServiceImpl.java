// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.tessera.cluster.core.ClusterConfig;
import org.tessera.cluster.core.ClusterConfigException;
import org.tessera.cluster.core.ClusterEvents;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.ClusterService;
import org.tessera.cluster.core.DisplaySettings;
import org.tessera.cluster.core.NodeProtocol;
import org.tessera.cluster.core.NodeStatus;
import org.tessera.cluster.core.SpeedTestResult;
import org.tessera.cluster.core.node.NodeClient;
import org.tessera.core.Credentials;

/**
 * The cluster behind {@link ClusterService}: its configuration and switches, the running members, and the
 * parts that act on them ({@link ConnectionProcess} for {@link #start()}, {@link Liveness} for heartbeats,
 * {@link SpeedTest}); nodes are reached through the one {@link NodeClient}. Plain Java, so tests and
 * benchmarks can run several masters in one process; {@link ClusterComponent} is the DS component.
 */
public final class ClusterServiceImpl implements ClusterService, AutoCloseable {
    private static final long MB = 1024 * 1024;

    /** Where events go (EventAdmin in OSGi). */
    public interface EventSink {
        void post(String topic, Map<String, Object> properties);
    }

    /**
     * Settings of one service instance (configuration {@code org.tessera.cluster}).
     *
     * @param defaultConfig  host list or XML used by {@link #setDefaultConfig()}
     * @param token          the nodes' token for tests and benchmarks; null: from {@link Credentials} at each start
     * @param licenseSeats   seats of this master's pool
     * @param speedTestBytes payload of the speed test each way, bytes
     */
    public record Settings(String defaultConfig, String token, int licenseSeats, int speedTestBytes) {
        /** localhost, token from Credentials, 32 seats, 8 MiB. */
        public static final Settings DEFAULT = new Settings("localhost", null, 32, 8 * 1024 * 1024);
    }

    private final EventPoster events;
    private final String masterId;
    private final ExecutorService io = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("tessera-cluster-io-", 0).factory());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tessera-cluster-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final Liveness liveness;
    private final Object startLock = new Object();
    private final Object stateLock = new Object();

    private volatile Settings settings;
    private volatile ClusterConfig config;
    private volatile boolean allowMultipleServers;
    private volatile boolean consumptionBased;
    private volatile boolean ignoreNotEnoughMemory;
    private volatile boolean localLicenseCheckout = true;
    private volatile long requiredMemoryMB;
    private volatile int licenseSeats;
    private volatile List<String> problems = List.of();
    private volatile Map<String, String> refused = Map.of();
    private final Map<String, SpeedTestResult> speedTests = new ConcurrentHashMap<>();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private volatile boolean starting;

    // state while running, guarded by stateLock
    private boolean running;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private NodeClient client;
    private ScheduledFuture<?> heartbeat;
    private long meterNanos;
    private double consumedNodeSeconds;

    public ClusterServiceImpl(EventSink events, Settings settings) {
        this.events = new EventPoster(Objects.requireNonNull(events));
        this.settings = Objects.requireNonNull(settings);
        this.licenseSeats = settings.licenseSeats();
        this.masterId = System.getProperty("user.name", "user") + "@" + localHostName() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
        this.config = defaultModel();
        this.liveness = new Liveness(new LivenessView(), io, this.events);
    }

    /**
     * New settings (a changed configuration): the seat pool takes the new size, the speed test its payload,
     * {@link #setDefaultConfig()} the new default. A running cluster keeps its nodes.
     */
    public void applySettings(Settings value) {
        Settings old = settings;
        settings = Objects.requireNonNull(value);
        if (old.licenseSeats() != value.licenseSeats()) {
            licenseSeats = value.licenseSeats();
        }
    }

    /** The settings in use. */
    public Settings settings() {
        return settings;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private ClusterConfig defaultModel() {
        try {
            return ClusterConfig.parse(settings.defaultConfig());
        } catch (ClusterConfigException e) {
            System.getLogger(ClusterServiceImpl.class.getName()).log(System.Logger.Level.WARNING,
                    "default cluster configuration is invalid: " + e.getMessage());
            return ClusterConfig.EMPTY;
        }
    }

    /** The master's node token: the explicit one of the settings, else the Credentials service's. */
    static String nodeToken(Settings settings) {
        return settings.token() != null ? settings.token()
                : Credentials.lookup(ClusterServiceImpl.class, Credentials.CLUSTER_TOKEN).orElse(null);
    }

    /** A node client of this master with the configuration's timeouts and the node token. */
    NodeClient newClient(ClusterConfig cfg) {
        return NodeClient.builder(masterId).token(nodeToken(settings)).executor(io)
                .connectTimeout(Duration.ofMillis(cfg.options().connectTimeoutMillis()))
                .requestTimeout(Duration.ofMillis(cfg.options().requestTimeoutMillis())).build();
    }

    // ---- configuration

    @Override
    public String getConfig() {
        return config.toXml();
    }

    @Override
    public ClusterConfig getConfigModel() {
        return config;
    }

    @Override
    public void setConfig(String configuration) {
        changeConfig(ClusterConfig.parse(Objects.requireNonNull(configuration, "configuration")));
    }

    private void changeConfig(ClusterConfig value) {
        config = value;
        events.post(ClusterEvents.CONFIG_CHANGED, ClusterEvents.CONFIG, value.toXml());
    }

    @Override
    public void setDefaultConfig() {
        changeConfig(defaultModel());
    }

    @Override
    public boolean loadConfig(String fileName) {
        Path path = Path.of(fileName);
        try {
            if (Files.size(path) > ClusterXml.MAX_CHARS) {
                problems = List.of(fileName + ": larger than " + ClusterXml.MAX_CHARS + " bytes");
                return false;
            }
            setConfig(Files.readString(path, StandardCharsets.UTF_8));
            problems = List.of();
            return true;
        } catch (ClusterConfigException e) {
            problems = List.of(fileName + ": " + e.getMessage());
        } catch (IOException | java.io.UncheckedIOException e) {
            problems = List.of(fileName + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        return false;
    }

    @Override
    public String hostListToConfig(String hostList) {
        return ClusterConfig.parseHostList(hostList).toXml();
    }

    @Override
    public void setEyeSeparation(double value) {
        changeDisplay(config.display().withEyeSeparation(value));
    }

    @Override
    public void setZeroParallax(double value) {
        changeDisplay(config.display().withZeroParallax(value));
    }

    @Override
    public boolean getShowTestImage() {
        return config.display().showTestImage();
    }

    @Override
    public void setShowTestImage(boolean value) {
        changeDisplay(config.display().withShowTestImage(value));
    }

    @Override
    public boolean getShowTiles() {
        return config.display().showTiles();
    }

    @Override
    public void setShowTiles(boolean value) {
        changeDisplay(config.display().withShowTiles(value));
    }

    private void changeDisplay(DisplaySettings display) {
        changeConfig(config.withDisplay(display));
        List<ClusterNode> up;
        NodeClient c;
        synchronized (stateLock) {
            if (!running) {
                return;
            }
            c = client;
            up = upNodes();
        }
        NodeCalls.awaitQuietly(NodeCalls.display(io, c, up, display));
    }

    // ---- switches

    @Override
    public boolean getAllowMultipleServers() {
        return allowMultipleServers;
    }

    @Override
    public void setAllowMultipleServers(boolean value) {
        allowMultipleServers = value;
    }

    @Override
    public boolean getConsumptionBasedLicensing() {
        return consumptionBased;
    }

    @Override
    public void setConsumptionBasedLicensing(boolean value) {
        consumptionBased = value;
    }

    @Override
    public boolean getIgnoreNotEnoughMemory() {
        return ignoreNotEnoughMemory;
    }

    @Override
    public void setIgnoreNotEnoughMemory(boolean value) {
        ignoreNotEnoughMemory = value;
    }

    @Override
    public boolean getLocalLicenseCheckout() {
        return localLicenseCheckout;
    }

    @Override
    public void setLocalLicenseCheckout(boolean value) {
        localLicenseCheckout = value;
    }

    @Override
    public long getRequiredMemoryMB() {
        long r = requiredMemoryMB;
        if (r > 0) {
            return r;
        }
        Runtime rt = Runtime.getRuntime();
        return Math.max(1, (rt.totalMemory() - rt.freeMemory()) / MB);
    }

    @Override
    public void setRequiredMemoryMB(long megabytes) {
        requiredMemoryMB = Math.max(0, megabytes);
    }

    @Override
    public int getLicenseSeats() {
        return licenseSeats;
    }

    @Override
    public void setLicenseSeats(int seats) {
        licenseSeats = Math.max(0, seats);
    }

    @Override
    public String getMasterId() {
        return masterId;
    }

    @Override
    public List<String> getProblems() {
        return problems;
    }

    // ---- state

    // called with stateLock held
    private List<ClusterNode> upNodes() {
        return members.values().stream().filter(m -> m.up).map(m -> m.node).toList();
    }

    @Override
    public List<String> getRunningNodes() {
        synchronized (stateLock) {
            return upNodes().stream().map(ClusterNode::address).toList();
        }
    }

    @Override
    public List<NodeStatus> getNodeStatus() {
        ClusterConfig cfg = config;
        Map<String, String> why = refused;
        List<NodeStatus> list = new ArrayList<>();
        synchronized (stateLock) {
            for (ClusterNode n : cfg.nodes()) {
                Member m = running ? members.get(n.address()) : null;
                NodeStatus.State state = !n.enabled() ? NodeStatus.State.DISABLED
                        : !running ? NodeStatus.State.CONFIGURED
                        : m == null ? NodeStatus.State.NOT_STARTED : m.up ? NodeStatus.State.RUNNING : NodeStatus.State.LOST;
                NodeStatus.Licence licence = m != null && m.up ? m.licence : NodeStatus.Licence.NONE;
                list.add(new NodeStatus(n, state, m == null ? null : m.report, licence, speedTests.get(n.address()),
                        state == NodeStatus.State.NOT_STARTED ? why.getOrDefault(n.address(), "") : ""));
            }
        }
        return list;
    }

    @Override
    public boolean isRunning() {
        synchronized (stateLock) {
            return running;
        }
    }

    @Override
    public boolean isRestarting() {
        synchronized (stateLock) {
            return running && members.values().stream().anyMatch(m -> !m.up);
        }
    }

    @Override
    public boolean hasLicense() {
        synchronized (stateLock) {
            if (!running || members.isEmpty()) {
                return false;
            }
            return consumptionBased || members.values().stream().filter(m -> m.up).allMatch(Member::licensed);
        }
    }

    @Override
    public double getConsumedNodeSeconds() {
        synchronized (stateLock) {
            meter();
            return consumedNodeSeconds;
        }
    }

    // called with stateLock held
    private void meter() {
        long now = System.nanoTime();
        if (running && consumptionBased && meterNanos != 0) {
            long up = members.values().stream().filter(m -> m.up).count();
            consumedNodeSeconds += up * (now - meterNanos) / 1e9;
        }
        meterNanos = now;
    }

    // ---- start and stop

    @Override
    public void abortProgress() {
        if (starting) {
            aborted.set(true);
        }
    }

    @Override
    public boolean start() {
        synchronized (startLock) {
            if (isRunning()) {
                stop();
            }
            aborted.set(false);
            starting = true;
            try {
                return connect();
            } finally {
                starting = false;
            }
        }
    }

    private boolean connect() {
        ClusterConfig cfg = config;
        List<ClusterNode> nodes = cfg.nodes().stream().filter(ClusterNode::enabled).toList();
        refused = Map.of();
        if (nodes.isEmpty()) {
            problems = List.of("no enabled nodes in the configuration; setConfig(\"pc1 pc2\") first");
            events.finished(false, false);
            return false;
        }
        NodeClient c;
        try {
            c = newClient(cfg);
        } catch (IllegalStateException unusableToken) {
            problems = List.of("node token: " + unusableToken.getMessage());
            events.finished(false, false);
            return false;
        }
        ConnectionProcess.Rules rules = new ConnectionProcess.Rules(allowMultipleServers, ignoreNotEnoughMemory,
                localLicenseCheckout, consumptionBased, licenseSeats, getRequiredMemoryMB());
        ConnectionProcess.Outcome outcome = new ConnectionProcess(c, io, events, aborted).run(cfg, nodes, rules);
        problems = outcome.problems();
        refused = outcome.refused();
        if (outcome.aborted()) {
            c.close();
            events.progress("Aborted", 100);
            events.finished(false, true);
            return false;
        }
        if (outcome.members().isEmpty()) {
            c.close();
            events.progress("No node could start", 100);
            events.finished(false, false);
            return false;
        }
        List<String> names;
        synchronized (stateLock) {
            client = c;
            members.clear();
            outcome.members().forEach(m -> members.put(m.address(), m));
            running = true;
            meterNanos = System.nanoTime();
            long period = cfg.options().heartbeatMillis();
            heartbeat = scheduler.scheduleWithFixedDelay(liveness::beat, period, period, TimeUnit.MILLISECONDS);
            names = members.keySet().stream().toList();
        }
        events.progress("Cluster started on " + names.size() + " of " + nodes.size() + " nodes", 100);
        events.post(ClusterEvents.STARTED, ClusterEvents.NODES, names);
        events.finished(true, false);
        return true;
    }

    @Override
    public void stop() {
        NodeClient c;
        List<ClusterNode> nodes;
        synchronized (stateLock) {
            if (!running) {
                return;
            }
            meter();
            running = false;
            if (heartbeat != null) {
                heartbeat.cancel(false);
                heartbeat = null;
            }
            c = client;
            client = null;
            nodes = upNodes();
            members.clear();
        }
        NodeCalls.release(io, c, nodes);
        c.close();
        events.post(ClusterEvents.STOPPED);
    }

    /** What {@link Liveness} sees of this service. */
    private final class LivenessView implements Liveness.Cluster {
        @Override
        public Liveness.Round round() {
            synchronized (stateLock) {
                if (!running) {
                    return null;
                }
                meter();
                return new Liveness.Round(client, List.copyOf(members.values()));
            }
        }

        @Override
        public boolean setUp(Member m, boolean up) {
            synchronized (stateLock) {
                if (!running || members.get(m.address()) != m) {
                    return false;
                }
                m.up = up;
                return true;
            }
        }

        @Override
        public boolean allowMultipleServers() {
            return allowMultipleServers;
        }

        @Override
        public ClusterConfig config() {
            return config;
        }

        @Override
        public void runningNodesChanged(List<String> lost, List<String> recovered) {
            events.post(ClusterEvents.RUNNING_NODES_CHANGED, ClusterEvents.NODES, getRunningNodes(), ClusterEvents.LOST,
                    lost, ClusterEvents.RECOVERED, recovered, ClusterEvents.RESTARTING, isRestarting());
        }
    }

    // ---- speed test

    @Override
    public List<String> runSpeedTest() {
        return runSpeedTests().stream().map(SpeedTestResult::line).toList();
    }

    @Override
    public List<SpeedTestResult> runSpeedTests() {
        NodeClient c;
        List<ClusterNode> nodes;
        synchronized (stateLock) {
            if (!running) {
                problems = List.of("speed test needs a running cluster; start() first");
                return List.of();
            }
            c = client;
            nodes = upNodes();
        }
        int bytes = Math.min(NodeProtocol.MAX_SPEEDTEST_BYTES, Math.max(1024, settings.speedTestBytes()));
        List<SpeedTestResult> results = new ArrayList<>();
        for (ClusterNode n : nodes) {
            SpeedTestResult r = SpeedTest.measure(c, n, bytes);
            speedTests.put(n.address(), r);
            results.add(r);
        }
        return results;
    }

    @Override
    public void close() {
        stop();
        scheduler.shutdownNow();
        io.shutdownNow();
    }
}
