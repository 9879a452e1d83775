// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.tessera.cluster.core.ClusterConfig;
import org.tessera.cluster.core.ClusterConfigException;
import org.tessera.cluster.core.ClusterEvents;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.ClusterService;
import org.tessera.cluster.core.DisplaySettings;
import org.tessera.cluster.core.NodeInfo;
import org.tessera.cluster.core.NodeProtocol;
import org.tessera.core.TesseraEvents;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The cluster state machine behind {@link ClusterService}: configuration, the connection process
 * ({@link #start()}), liveness with restarting mode, licences, speed test. Plain Java so tests and
 * benchmarks can run several masters in one process; the DS component only wires it.
 */
@Component(service = ClusterService.class)
public final class ClusterServiceImpl implements ClusterService, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClusterServiceImpl.class.getName());
    private static final long MB = 1024 * 1024;
    private static final long MAX_BACKOFF_MILLIS = 4000;

    /** Where events go (EventAdmin in OSGi). */
    public interface EventSink {
        void post(String topic, Map<String, Object> properties);
    }

    /** Settings of one service instance. */
    public record Settings(String defaultConfig, String token, int licenseSeats, int speedTestBytes) {
        public static Settings fromSystemProperties() {
            // the token is looked up when a node is called (Credentials), never kept in system properties
            String token = null;
            return new Settings(System.getProperty("tessera.cluster.defaultConfig", "localhost"), token,
                    Integer.getInteger("tessera.cluster.licenseSeats", 32),
                    Integer.getInteger("tessera.cluster.speedTestBytes", 8 * 1024 * 1024));
        }
    }

    private final EventSink events;
    private final Settings settings;
    private final String masterId;
    private final ExecutorService io = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("tessera-cluster-io-", 0).factory());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tessera-cluster-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final Object startLock = new Object();
    private final Object stateLock = new Object();

    private volatile ClusterConfig config;
    private volatile boolean allowMultipleServers;
    private volatile boolean consumptionBased;
    private volatile boolean ignoreNotEnoughMemory;
    private volatile boolean localLicenseCheckout = true;
    private volatile long requiredMemoryMB;
    private volatile int licenseSeats;
    private volatile List<String> problems = List.of();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private volatile boolean starting;

    // state while running, guarded by stateLock
    private boolean running;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private NodeClient client;
    private ScheduledFuture<?> heartbeat;
    private long meterNanos;
    private double consumedNodeSeconds;

    private static final class Member {
        final ClusterNode node;
        boolean up = true;
        boolean seat;          // a seat of this master's pool
        boolean nodeLicense;   // a seat checked out on the node
        long backoffMillis = 250;
        long nextAttemptNanos;
        boolean probing;

        Member(ClusterNode node) {
            this.node = node;
        }
    }

    public ClusterServiceImpl(EventSink events, Settings settings) {
        this.events = Objects.requireNonNull(events);
        this.settings = settings;
        this.licenseSeats = settings.licenseSeats();
        this.masterId = System.getProperty("user.name", "user") + "@" + localHostName() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
        this.config = defaultModel();
    }

    /** The DS component: events go to EventAdmin, settings come from system properties. */
    @Activate
    public ClusterServiceImpl(@Reference EventAdmin eventAdmin) {
        this((topic, props) -> eventAdmin.postEvent(new Event(topic, props)), Settings.fromSystemProperties());
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
            LOG.log(System.Logger.Level.WARNING, "default cluster configuration is invalid: " + e.getMessage());
            return ClusterConfig.EMPTY;
        }
    }

    // ---- events

    private void post(String topic, Object... keyValues) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        props.put(TesseraEvents.TIMESTAMP, System.currentTimeMillis());
        try {
            events.post(topic, Collections.unmodifiableMap(props));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event " + topic + " not delivered: " + e);
        }
    }

    private void progress(String action, int percent) {
        post(ClusterEvents.PROGRESS_CHANGED, ClusterEvents.ACTION, action, ClusterEvents.PROGRESS,
                Math.max(0, Math.min(100, percent)));
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
        post(ClusterEvents.CONFIG_CHANGED, ClusterEvents.CONFIG, value.toXml());
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
            up = members.values().stream().filter(m -> m.up).map(m -> m.node).toList();
        }
        awaitQuietly(sendDisplay(c, up, display));
    }

    private List<CompletableFuture<?>> sendDisplay(NodeClient c, List<ClusterNode> nodes, DisplaySettings d) {
        Map<String, Object> body = Map.of("showTiles", d.showTiles(), "showTestImage", d.showTestImage(),
                "eyeSeparation", d.eyeSeparation(), "zeroParallax", d.zeroParallax());
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (ClusterNode n : nodes) {
            all.add(c.post(n, NodeProtocol.DISPLAY, body));
        }
        return all;
    }

    private static void awaitQuietly(List<CompletableFuture<?>> futures) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "some nodes did not confirm: " + NodeClient.reason(e));
        }
    }

    // ---- flags

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

    @Override
    public List<String> getRunningNodes() {
        synchronized (stateLock) {
            return members.values().stream().filter(m -> m.up).map(m -> m.node.address()).toList();
        }
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
            return consumptionBased || members.values().stream().filter(m -> m.up).allMatch(m -> m.seat || m.nodeLicense);
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

    // ---- connection process

    @Override
    public void abortProgress() {
        if (starting) {
            aborted.set(true);
        }
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
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // poll again; failures are read from each future
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    aborted.set(true);
                }
            }
        }
        return !aborted.get();
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
        List<String> found = new ArrayList<>();
        List<ClusterNode> nodes = cfg.nodes().stream().filter(ClusterNode::enabled).toList();
        if (nodes.isEmpty()) {
            problems = List.of("no enabled nodes in the configuration; setConfig(\"pc1 pc2\") first");
            finish(false, false);
            return false;
        }
        NodeClient c = new NodeClient(io, Duration.ofMillis(cfg.options().connectTimeoutMillis()),
                Duration.ofMillis(cfg.options().requestTimeoutMillis()), settings.token() != null ? settings.token()
                        : org.tessera.core.Credentials.lookup(ClusterServiceImpl.class, org.tessera.core.Credentials.CLUSTER_TOKEN).orElse(null),
                masterId);
        int total = nodes.size();
        progress("Connecting to " + total + " node" + (total == 1 ? "" : "s"), 0);

        // 1. hello, in parallel
        Map<ClusterNode, CompletableFuture<NodeInfo>> hello = new LinkedHashMap<>();
        for (ClusterNode n : nodes) {
            hello.put(n, c.info(n));
        }
        Map<ClusterNode, NodeInfo> infos = new LinkedHashMap<>();
        int[] done = {0};
        boolean ok = awaitAll(hello, (n, f) -> {
            done[0]++;
            try {
                infos.put(n, f.join());
                progress("Connected to " + n.address(), 60 * done[0] / total);
            } catch (RuntimeException e) {
                found.add(n.address() + ": " + NodeClient.reason(e));
                progress("No answer from " + n.address(), 60 * done[0] / total);
            }
        });
        if (!ok) {
            return abortCleanup(c, List.of(), found);
        }
        // keep configuration order
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
        boolean allowMultiple = allowMultipleServers;
        if (!held.isEmpty()) {
            post(ClusterEvents.MULTIPLE_SERVERS_FOUND, ClusterEvents.HOSTS, List.copyOf(held), ClusterEvents.HELD_BY,
                    List.copyOf(heldBy), ClusterEvents.ALLOWED, allowMultiple);
            if (!allowMultiple) {
                for (int i = 0; i < held.size(); i++) {
                    found.add(held.get(i) + ": already used by another master (" + heldBy.get(i)
                            + "); setAllowMultipleServers(true) to share it");
                }
                candidates = candidates.stream().filter(n -> !held.contains(n.address())).toList();
            }
        }

        // 3. memory
        long required = getRequiredMemoryMB();
        List<String> low = new ArrayList<>();
        for (ClusterNode n : candidates) {
            if (infos.get(n).memoryFreeMB() < required) {
                low.add(n.address());
            }
        }
        boolean ignoreMemory = ignoreNotEnoughMemory;
        if (!low.isEmpty()) {
            post(ClusterEvents.NOT_ENOUGH_MEMORY_FOUND, ClusterEvents.HOSTS, List.copyOf(low), ClusterEvents.REQUIRED_MB,
                    required, ClusterEvents.ALLOWED, ignoreMemory);
            if (!ignoreMemory) {
                for (String a : low) {
                    ClusterNode n = candidates.stream().filter(x -> x.address().equals(a)).findFirst().orElseThrow();
                    found.add(a + ": not enough memory (" + infos.get(n).memoryFreeMB() + " MB free, " + required
                            + " MB needed); setIgnoreNotEnoughMemory(true) to use it anyway");
                }
                candidates = candidates.stream().filter(n -> !low.contains(n.address())).toList();
            }
        }
        if (aborted.get()) {
            return abortCleanup(c, List.of(), found);
        }

        // 4. claim, in parallel
        progress("Claiming " + candidates.size() + " node" + (candidates.size() == 1 ? "" : "s"), 65);
        Map<ClusterNode, CompletableFuture<NodeClient.Reply>> claims = new LinkedHashMap<>();
        for (ClusterNode n : candidates) {
            claims.put(n, c.post(n, NodeProtocol.CLAIM, Map.of("master", masterId, "shared", allowMultiple,
                    "leaseMillis", leaseMillis(cfg))));
        }
        List<ClusterNode> claimed = Collections.synchronizedList(new ArrayList<>());
        ok = awaitAll(claims, (n, f) -> {
            try {
                NodeClient.Reply r = f.join();
                if (r.ok()) {
                    claimed.add(n);
                } else {
                    found.add(n.address() + ": claim refused (" + r.error() + ")");
                }
            } catch (RuntimeException e) {
                found.add(n.address() + ": claim failed (" + NodeClient.reason(e) + ")");
            }
        });
        List<ClusterNode> claimedInOrder = candidates.stream().filter(claimed::contains).toList();
        if (!ok) {
            return abortCleanup(c, claimedInOrder, found);
        }

        // 5. licences
        progress("Checking out licences", 80);
        Map<ClusterNode, Member> started = new LinkedHashMap<>();
        List<ClusterNode> refused = new ArrayList<>();
        if (consumptionBased) {
            claimedInOrder.forEach(n -> started.put(n, new Member(n)));
        } else if (localLicenseCheckout) {
            int seats = licenseSeats;
            for (ClusterNode n : claimedInOrder) {
                if (started.size() < seats) {
                    Member m = new Member(n);
                    m.seat = true;
                    started.put(n, m);
                } else {
                    refused.add(n);
                    found.add(n.address() + ": no licence seat left in this master's pool (" + seats
                            + " seats); raise setLicenseSeats or use consumption-based licensing");
                }
            }
        } else {
            Map<ClusterNode, CompletableFuture<NodeClient.Reply>> checkouts = new LinkedHashMap<>();
            for (ClusterNode n : claimedInOrder) {
                checkouts.put(n, c.post(n, NodeProtocol.LICENSE_CHECKOUT, Map.of("master", masterId)));
            }
            Map<ClusterNode, Boolean> granted = new HashMap<>();
            ok = awaitAll(checkouts, (n, f) -> {
                try {
                    NodeClient.Reply r = f.join();
                    granted.put(n, r.ok());
                    if (!r.ok()) {
                        found.add(n.address() + ": node has no licence (" + r.error() + ")");
                    }
                } catch (RuntimeException e) {
                    granted.put(n, false);
                    found.add(n.address() + ": licence checkout failed (" + NodeClient.reason(e) + ")");
                }
            });
            if (!ok) {
                return abortCleanup(c, claimedInOrder, found);
            }
            for (ClusterNode n : claimedInOrder) {
                if (granted.getOrDefault(n, false)) {
                    Member m = new Member(n);
                    m.nodeLicense = true;
                    started.put(n, m);
                } else {
                    refused.add(n);
                }
            }
        }
        release(c, refused);
        if (aborted.get()) {
            return abortCleanup(c, claimedInOrder, found);
        }
        problems = List.copyOf(found);
        if (started.isEmpty()) {
            progress("No node could start", 100);
            finish(false, false);
            return false;
        }
        awaitQuietly(sendDisplay(c, List.copyOf(started.keySet()), cfg.display()));
        List<String> names;
        synchronized (stateLock) {
            client = c;
            members.clear();
            started.values().forEach(m -> members.put(m.node.address(), m));
            running = true;
            meterNanos = System.nanoTime();
            long period = cfg.options().heartbeatMillis();
            heartbeat = scheduler.scheduleWithFixedDelay(this::heartbeatRound, period, period, TimeUnit.MILLISECONDS);
            names = members.keySet().stream().toList();
        }
        progress("Cluster started on " + names.size() + " of " + total + " nodes", 100);
        post(ClusterEvents.STARTED, ClusterEvents.NODES, names);
        finish(true, false);
        return true;
    }

    private long leaseMillis(ClusterConfig cfg) {
        return Math.max(NodeProtocol.DEFAULT_LEASE_MILLIS, 5L * cfg.options().heartbeatMillis());
    }

    private boolean abortCleanup(NodeClient c, List<ClusterNode> claimed, List<String> found) {
        release(c, claimed);
        found.add("start aborted");
        problems = List.copyOf(found);
        progress("Aborted", 100);
        finish(false, true);
        return false;
    }

    private void finish(boolean success, boolean wasAborted) {
        post(ClusterEvents.PROGRESS_FINISHED, ClusterEvents.SUCCESS, success, ClusterEvents.ABORTED, wasAborted);
    }

    private void release(NodeClient c, List<ClusterNode> nodes) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (ClusterNode n : nodes) {
            all.add(c.post(n, NodeProtocol.RELEASE, Map.of("master", masterId)));
        }
        awaitQuietly(all);
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
            nodes = members.values().stream().filter(m -> m.up).map(m -> m.node).toList();
            members.clear();
        }
        release(c, nodes);
        post(ClusterEvents.STOPPED);
    }

    // ---- liveness

    private void heartbeatRound() {
        try {
            beat();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "heartbeat round failed", e);
        }
    }

    private void beat() {
        NodeClient c;
        List<Member> snapshot;
        synchronized (stateLock) {
            if (!running) {
                return;
            }
            meter();
            c = client;
            snapshot = List.copyOf(members.values());
        }
        long now = System.nanoTime();
        Map<Member, CompletableFuture<NodeInfo>> probes = new LinkedHashMap<>();
        for (Member m : snapshot) {
            if (m.up || now >= m.nextAttemptNanos) {
                probes.put(m, c.info(m.node));
            }
        }
        List<String> lost = new ArrayList<>();
        List<String> recovered = new ArrayList<>();
        for (var e : probes.entrySet()) {
            Member m = e.getKey();
            NodeInfo info;
            try {
                info = e.getValue().get(30, TimeUnit.SECONDS);
            } catch (Exception ex) {
                info = null;
            }
            if (m.up) {
                if (info != null && info.masters().contains(masterId)) {
                    post(ClusterEvents.NODE_HEARTBEAT, ClusterEvents.NODE, m.node.address(), ClusterEvents.CPU_PERCENT,
                            info.cpuPercent(), ClusterEvents.MEMORY_USED_MB, info.memoryUsedMB(),
                            ClusterEvents.MEMORY_TOTAL_MB, info.memoryTotalMB());
                    continue;
                }
                // gone, or came back so fast it forgot us: either way it must be reconnected
                synchronized (stateLock) {
                    if (!running) {
                        return;
                    }
                    m.up = false;
                    m.backoffMillis = 250;
                    m.nextAttemptNanos = System.nanoTime();
                }
                lost.add(m.node.address());
                LOG.log(System.Logger.Level.INFO, "node " + m.node.address() + " stopped answering; restarting it");
            } else if (info != null && reconnect(c, m, info)) {
                synchronized (stateLock) {
                    if (!running) {
                        return;
                    }
                    m.up = true;
                }
                recovered.add(m.node.address());
            } else {
                m.nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(m.backoffMillis);
                m.backoffMillis = Math.min(MAX_BACKOFF_MILLIS, m.backoffMillis * 2);
            }
        }
        if (!lost.isEmpty() || !recovered.isEmpty()) {
            post(ClusterEvents.RUNNING_NODES_CHANGED, ClusterEvents.NODES, getRunningNodes(), ClusterEvents.LOST,
                    List.copyOf(lost), ClusterEvents.RECOVERED, List.copyOf(recovered), ClusterEvents.RESTARTING,
                    isRestarting());
        }
    }

    private boolean reconnect(NodeClient c, Member m, NodeInfo info) {
        try {
            if (!info.masters().isEmpty() && !info.masters().contains(masterId) && !allowMultipleServers) {
                return false;
            }
            NodeClient.Reply r = c.post(m.node, NodeProtocol.CLAIM, Map.of("master", masterId, "shared",
                    allowMultipleServers, "leaseMillis", leaseMillis(config))).get(30, TimeUnit.SECONDS);
            if (!r.ok()) {
                return false;
            }
            if (m.nodeLicense) {
                NodeClient.Reply l = c.post(m.node, NodeProtocol.LICENSE_CHECKOUT, Map.of("master", masterId))
                        .get(30, TimeUnit.SECONDS);
                if (!l.ok()) {
                    c.post(m.node, NodeProtocol.RELEASE, Map.of("master", masterId));
                    return false;
                }
            }
            awaitQuietly(sendDisplay(c, List.of(m.node), config.display()));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    // ---- speed test

    @Override
    public List<String> runSpeedTest() {
        NodeClient c;
        List<ClusterNode> nodes;
        synchronized (stateLock) {
            if (!running) {
                problems = List.of("speed test needs a running cluster; start() first");
                return List.of();
            }
            c = client;
            nodes = members.values().stream().filter(m -> m.up).map(m -> m.node).toList();
        }
        int bytes = Math.min(NodeProtocol.MAX_SPEEDTEST_BYTES, Math.max(1024, settings.speedTestBytes()));
        List<String> lines = new ArrayList<>();
        for (ClusterNode n : nodes) {
            lines.add(SpeedTest.measure(c, n, bytes));
        }
        return lines;
    }

    @Deactivate
    @Override
    public void close() {
        stop();
        scheduler.shutdownNow();
        io.shutdownNow();
    }
}
