// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.tessera.cluster.core.ClusterEvents;
import org.tessera.cluster.core.ClusterService;
import org.tessera.cluster.core.NodeStatus;
import org.tessera.cluster.core.SpeedTestResult;
import org.tessera.testing.OsgiServices;
import org.tessera.testing.TesseraProcess;

/**
 * The DS ClusterService against real {@code tessera node serve} processes on loopback: three normal
 * nodes, one with little memory, one without a licence seat, one that needs a token. Processes start
 * once for the class.
 */
class ClusterProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern SPEED_LINE = Pattern.compile(
            "127\\.0\\.0\\.1:\\d+ latency_ms=\\d+\\.\\d{3} down_MBps=\\d+\\.\\d up_MBps=\\d+\\.\\d bytes=\\d+");
    /** Deleted by JUnit after {@code @AfterAll} has stopped the processes writing into it. */
    @TempDir
    static Path work;
    private static final int[] ports = new int[6];
    private static final TesseraProcess[] nodes = new TesseraProcess[6];
    private static final int SMALL = 3;
    private static final int UNLICENSED = 4;
    private static final int TOKEN = 5;

    private ClusterService cluster;
    private EventRecorder events;

    @BeforeAll
    static void startNodes() {
        for (int i = 0; i < nodes.length; i++) {
            ports[i] = TesseraProcess.freePort();
            nodes[i] = startNode(i);
        }
        for (TesseraProcess p : nodes) {
            p.awaitLine(l -> l.startsWith("Node listening on http://127.0.0.1:"), WAIT);
        }
    }

    private static TesseraProcess startNode(int i) {
        List<String> args = new ArrayList<>(List.of("node", "serve", "--port", String.valueOf(ports[i])));
        if (i == SMALL) {
            args.addAll(List.of("--memory-limit", "64"));
        }
        if (i == UNLICENSED) {
            args.addAll(List.of("--license-seats", "0"));
        }
        if (i == TOKEN) {
            args.addAll(List.of("--token", "s3cret-node-token"));
        }
        return TesseraProcess.start(work, "node" + i + "-" + System.nanoTime(), args.toArray(String[]::new));
    }

    @AfterAll
    static void stopNodes() {
        for (TesseraProcess p : nodes) {
            if (p != null) {
                p.close();
            }
        }
    }

    @BeforeEach
    void setUp() {
        cluster = OsgiServices.get(ClusterService.class);
        events = new EventRecorder();
        cluster.setRequiredMemoryMB(256);
        cluster.setAllowMultipleServers(false);
        cluster.setIgnoreNotEnoughMemory(false);
        cluster.setLocalLicenseCheckout(true);
        cluster.setConsumptionBasedLicensing(false);
        cluster.setLicenseSeats(32);
    }

    @AfterEach
    void tearDown() {
        cluster.stop();
        cluster.setDefaultConfig();
        cluster.setRequiredMemoryMB(0);
        events.close();
    }

    private static String addr(int i) {
        return "127.0.0.1:" + ports[i];
    }

    private static String hosts(int... indexes) {
        StringBuilder sb = new StringBuilder();
        for (int i : indexes) {
            sb.append(addr(i)).append(' ');
        }
        return sb.toString();
    }

    private static String info(int i) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + addr(i) + "/v1/info")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void startRunsAllSignalsAndFunctions() throws Exception {
        cluster.setConfig(hosts(0, 1, 2));
        assertTrue(cluster.start(), cluster.getProblems().toString());
        assertEquals(List.of(addr(0), addr(1), addr(2)), cluster.getRunningNodes());
        assertTrue(cluster.isRunning());
        assertFalse(cluster.isRestarting());
        assertTrue(cluster.hasLicense());
        Event started = events.await(ClusterEvents.STARTED, WAIT);
        assertEquals(cluster.getRunningNodes(), started.getProperty(ClusterEvents.NODES));
        assertEquals(Boolean.TRUE, events.await(ClusterEvents.PROGRESS_FINISHED, WAIT).getProperty(ClusterEvents.SUCCESS));
        List<Event> progress = events.all(ClusterEvents.PROGRESS_CHANGED);
        assertTrue(progress.size() >= 5, "progress steps: " + progress.size());
        assertEquals(100, progress.get(progress.size() - 1).getProperty(ClusterEvents.PROGRESS));
        assertTrue(info(1).contains(cluster.getMasterId()), "node records its master");

        Event beat = events.await(ClusterEvents.NODE_HEARTBEAT, e -> addr(2).equals(e.getProperty(ClusterEvents.NODE)), WAIT);
        assertTrue((Long) beat.getProperty(ClusterEvents.MEMORY_TOTAL_MB) >= 256);
        assertTrue((Long) beat.getProperty(ClusterEvents.MEMORY_USED_MB) > 0);
        assertNotNull(beat.getProperty(ClusterEvents.CPU_PERCENT));

        cluster.setShowTestImage(true);
        cluster.setShowTiles(true);
        assertTrue(info(0).contains("\"showTestImage\":true"), info(0));
        assertTrue(info(0).contains("\"showTiles\":true"), info(0));
        cluster.setShowTestImage(false);
        cluster.setShowTiles(false);
        assertTrue(info(0).contains("\"showTestImage\":false"), info(0));

        List<String> lines = cluster.runSpeedTest();
        assertEquals(3, lines.size(), lines.toString());
        for (String l : lines) {
            assertTrue(SPEED_LINE.matcher(l).matches(), l);
        }

        cluster.stop();
        events.await(ClusterEvents.STOPPED, WAIT);
        assertFalse(cluster.isRunning());
        assertEquals(List.of(), cluster.getRunningNodes());
        assertTrue(info(1).contains("\"masters\":[]"), "stop releases the nodes: " + info(1));
    }

    @Test
    void killedNodeLeavesRestartsAndRecovers() throws Exception {
        cluster.setConfig("<cluster xmlns=\"urn:tessera:cluster:1\" version=\"1\"><options heartbeatMillis=\"300\"/>"
                + "<network name=\"n\"><node host=\"127.0.0.1\" port=\"" + ports[0] + "\"/><node host=\"127.0.0.1\" port=\""
                + ports[1] + "\"/><node host=\"127.0.0.1\" port=\"" + ports[2] + "\"/></network></cluster>");
        assertTrue(cluster.start(), cluster.getProblems().toString());
        nodes[2].kill();
        Event lost = events.await(ClusterEvents.RUNNING_NODES_CHANGED,
                e -> ((List<?>) e.getProperty(ClusterEvents.LOST)).contains(addr(2)), WAIT);
        assertEquals(Boolean.TRUE, lost.getProperty(ClusterEvents.RESTARTING));
        assertEquals(List.of(addr(0), addr(1)), lost.getProperty(ClusterEvents.NODES));
        assertTrue(cluster.isRestarting());
        assertTrue(cluster.isRunning());
        assertEquals(List.of(addr(0), addr(1)), cluster.getRunningNodes());
        assertEquals(NodeStatus.State.LOST, status(addr(2)).state());
        assertEquals(NodeStatus.Licence.NONE, status(addr(2)).licence());

        nodes[2] = startNode(2);
        nodes[2].awaitLine(l -> l.startsWith("Node listening on"), WAIT);
        Event back = events.await(ClusterEvents.RUNNING_NODES_CHANGED,
                e -> ((List<?>) e.getProperty(ClusterEvents.RECOVERED)).contains(addr(2)), WAIT);
        assertEquals(Boolean.FALSE, back.getProperty(ClusterEvents.RESTARTING));
        assertFalse(cluster.isRestarting());
        assertEquals(3, cluster.getRunningNodes().size());
        assertTrue(info(2).contains(cluster.getMasterId()), "recovered node is claimed again");
    }

    private NodeStatus status(String address) {
        return cluster.getNodeStatus().stream().filter(s -> s.address().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError(address + " not in " + cluster.getNodeStatus()));
    }

    @Test
    void nodeStatusIsTypedFromTheNodesOwnReports() throws Exception {
        int off = TesseraProcess.freePort();
        cluster.setConfig("<cluster xmlns=\"urn:tessera:cluster:1\" version=\"1\"><options heartbeatMillis=\"200\"/>"
                + "<network name=\"n\"><node host=\"127.0.0.1\" port=\"" + ports[0] + "\"/><node host=\"127.0.0.1\" port=\""
                + ports[SMALL] + "\"/><node host=\"127.0.0.1\" port=\"" + off + "\" enabled=\"false\"/></network></cluster>");
        assertEquals(List.of(NodeStatus.State.CONFIGURED, NodeStatus.State.CONFIGURED, NodeStatus.State.DISABLED),
                cluster.getNodeStatus().stream().map(NodeStatus::state).toList());
        assertTrue(cluster.start(), cluster.getProblems().toString());
        events.await(ClusterEvents.NODE_HEARTBEAT, e -> addr(0).equals(e.getProperty(ClusterEvents.NODE)), WAIT);

        NodeStatus running = status(addr(0));
        assertEquals(NodeStatus.State.RUNNING, running.state());
        assertEquals(NodeStatus.Licence.MASTER_SEAT, running.licence());
        assertTrue(running.report() != null, "a heartbeat brought the node's report");
        assertEquals(ports[0], running.report().port());
        assertTrue(running.report().cores() >= 1, running.report().toString());
        assertTrue(running.report().memoryTotalMB() >= 256, running.report().toString());
        assertTrue(running.report().engines().contains("raytracer"), running.report().engines().toString());
        assertEquals(List.of(cluster.getMasterId()), running.report().masters());
        // the same numbers the node reports itself
        assertTrue(info(0).contains("\"cores\":" + running.report().cores() + ","), info(0));

        NodeStatus small = status(addr(SMALL));
        assertEquals(NodeStatus.State.NOT_STARTED, small.state());
        assertTrue(small.problem().startsWith("not enough memory"), small.problem());
        assertEquals(null, small.report());
        assertEquals(NodeStatus.State.DISABLED, status("127.0.0.1:" + off).state());

        List<SpeedTestResult> speed = cluster.runSpeedTests();
        assertEquals(1, speed.size(), speed.toString());
        assertTrue(speed.get(0).ok(), speed.get(0).toString());
        assertTrue(speed.get(0).downMBps() > 0 && speed.get(0).upMBps() > 0 && speed.get(0).latencyMillis() > 0);
        assertTrue(SPEED_LINE.matcher(speed.get(0).line()).matches(), speed.get(0).line());
        assertEquals(speed.get(0), status(addr(0)).speedTest());

        cluster.stop();
        assertEquals(NodeStatus.State.CONFIGURED, status(addr(0)).state());
        assertEquals(NodeStatus.Licence.NONE, status(addr(0)).licence());
    }

    @Test
    void nodeHeldBySecondMasterIsRefusedUnlessAllowed() throws Exception {
        try (TesseraProcess other = TesseraProcess.start(work, "master2-" + System.nanoTime(), "cluster", "start",
                "--hold", "--required-memory", "1", addr(0))) {
            other.awaitLine(l -> l.startsWith("Holding the cluster as"), WAIT);
            cluster.setConfig(hosts(0, 1));
            assertTrue(cluster.start());
            Event e = events.await(ClusterEvents.MULTIPLE_SERVERS_FOUND, WAIT);
            assertEquals(List.of(addr(0)), e.getProperty(ClusterEvents.HOSTS));
            assertEquals(Boolean.FALSE, e.getProperty(ClusterEvents.ALLOWED));
            assertEquals(List.of(addr(1)), cluster.getRunningNodes());
            assertTrue(cluster.getProblems().get(0).contains("another master"), cluster.getProblems().toString());

            cluster.setAllowMultipleServers(true);
            events.clear();
            assertTrue(cluster.start());
            assertEquals(Boolean.TRUE, events.await(ClusterEvents.MULTIPLE_SERVERS_FOUND, WAIT).getProperty(ClusterEvents.ALLOWED));
            assertEquals(List.of(addr(0), addr(1)), cluster.getRunningNodes());
            cluster.stop();
        }
    }

    @Test
    void nodeWithTooLittleMemory() {
        cluster.setConfig(hosts(0, SMALL));
        assertTrue(cluster.start());
        Event e = events.await(ClusterEvents.NOT_ENOUGH_MEMORY_FOUND, WAIT);
        assertEquals(List.of(addr(SMALL)), e.getProperty(ClusterEvents.HOSTS));
        assertEquals(256L, e.getProperty(ClusterEvents.REQUIRED_MB));
        assertEquals(List.of(addr(0)), cluster.getRunningNodes());
        assertTrue(cluster.getProblems().get(0).contains("not enough memory"), cluster.getProblems().toString());

        cluster.setIgnoreNotEnoughMemory(true);
        assertTrue(cluster.start());
        assertEquals(List.of(addr(0), addr(SMALL)), cluster.getRunningNodes());
    }

    @Test
    void missingLicences() throws Exception {
        // the master's pool has one seat for two nodes
        cluster.setConfig(hosts(0, 1));
        cluster.setLicenseSeats(1);
        assertTrue(cluster.start());
        assertEquals(List.of(addr(0)), cluster.getRunningNodes());
        assertTrue(cluster.getProblems().get(0).contains("no licence seat"), cluster.getProblems().toString());
        assertTrue(cluster.hasLicense());
        assertTrue(info(1).contains("\"masters\":[]"), "refused node is released");

        // node-side checkout: the unlicensed node refuses
        cluster.setLocalLicenseCheckout(false);
        cluster.setConfig(hosts(0, UNLICENSED));
        assertTrue(cluster.start());
        assertEquals(List.of(addr(0)), cluster.getRunningNodes());
        assertTrue(cluster.getProblems().get(0).contains("no licence"), cluster.getProblems().toString());
        assertTrue(info(0).contains("\"licensesInUse\":1"), info(0));

        // only unlicensed nodes: nothing starts
        cluster.setConfig(hosts(UNLICENSED));
        assertFalse(cluster.start());
        assertFalse(cluster.hasLicense());

        // consumption-based: no seats, metered node-seconds
        cluster.setConsumptionBasedLicensing(true);
        cluster.setLicenseSeats(0);
        cluster.setConfig(hosts(0, 1, UNLICENSED));
        assertTrue(cluster.start());
        assertEquals(3, cluster.getRunningNodes().size());
        assertTrue(cluster.hasLicense());
        double before = cluster.getConsumedNodeSeconds();
        Thread.sleep(500);
        double after = cluster.getConsumedNodeSeconds();
        assertTrue(after - before >= 1.2, "3 nodes x 0.5 s metered: " + (after - before));
    }

    @Test
    void abortDuringStart() throws Exception {
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            cluster.setConfig("<cluster xmlns=\"urn:tessera:cluster:1\" version=\"1\"><options requestTimeoutMillis=\"30000\"/>"
                    + "<network name=\"n\"><node host=\"127.0.0.1\" port=\"" + ports[0] + "\"/>"
                    + "<node host=\"127.0.0.1\" port=\"" + blackHole.getLocalPort() + "\"/></network></cluster>");
            CompletableFuture<Boolean> start = CompletableFuture.supplyAsync(cluster::start);
            events.await(ClusterEvents.PROGRESS_CHANGED, e -> ((String) e.getProperty(ClusterEvents.ACTION))
                    .startsWith("Connected to"), WAIT);
            long t0 = System.nanoTime();
            cluster.abortProgress();
            assertFalse(start.get(5, TimeUnit.SECONDS));
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000, "abort took too long");
            Event fin = events.await(ClusterEvents.PROGRESS_FINISHED, WAIT);
            assertEquals(Boolean.TRUE, fin.getProperty(ClusterEvents.ABORTED));
            assertFalse(cluster.isRunning());
            assertTrue(cluster.getProblems().contains("start aborted"), cluster.getProblems().toString());
            assertTrue(info(0).contains("\"masters\":[]"), "aborted start holds nothing");
        }
    }

    @Test
    void sceneCacheTestImageAndProtocolErrors() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        byte[] scene = "#include \"colors.inc\"\nsphere { 0, 1 pigment { Red } }\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(scene));
        URI sceneUri = URI.create("http://" + addr(1) + "/v1/scenes?sha256=" + sha);
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(sceneUri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("not cached"), missing.body());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(sceneUri).PUT(HttpRequest.BodyPublishers.ofByteArray(scene))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(sceneUri).PUT(HttpRequest.BodyPublishers.ofByteArray(scene))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, again.statusCode(), "content-addressed: already cached");
        HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(sceneUri).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, get.statusCode());
        assertTrue(java.util.Arrays.equals(scene, get.body()));
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create("http://" + addr(1) + "/v1/scenes?sha256="
                + "0".repeat(64))).PUT(HttpRequest.BodyPublishers.ofByteArray(scene)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, wrong.statusCode());
        assertTrue(wrong.body().contains(sha), wrong.body());
        assertTrue(info(1).contains("\"scenes\":1"), info(1));

        HttpResponse<byte[]> image = http.send(HttpRequest.newBuilder(URI.create("http://" + addr(1)
                + "/v1/testimage?width=64&height=32")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, image.statusCode());
        String header = "P6\n64 32\n255\n";
        assertEquals(header.length() + 64 * 32 * 3, image.body().length);
        assertEquals(header, new String(image.body(), 0, header.length(), java.nio.charset.StandardCharsets.US_ASCII));

        HttpResponse<String> badClaim = http.send(HttpRequest.newBuilder(URI.create("http://" + addr(1) + "/v1/claim"))
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, badClaim.statusCode(), badClaim.body());
        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(URI.create("http://" + addr(1) + "/v1/claim"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, wrongMethod.statusCode());
        HttpResponse<Void> capped = http.send(HttpRequest.newBuilder(URI.create("http://" + addr(1)
                + "/v1/speedtest?bytes=999999999")).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, capped.statusCode());
        assertEquals(64L * 1024 * 1024, capped.headers().firstValueAsLong("content-length").orElse(-1),
                "speed-test payload is capped at 64 MiB");
    }

    @Test
    void tokenNodeRefusesMasterWithoutToken() {
        cluster.setConfig(hosts(TOKEN));
        assertFalse(cluster.start());
        String p = cluster.getProblems().get(0);
        assertTrue(p.contains("401"), p);
        assertFalse(p.contains("s3cret"), "token must not appear in messages");
    }

    /** {@code tessera cluster status} asks through the node client with the token from Credentials (here the environment). */
    @Test
    void cliStatusSendsTheNodeTokenFromCredentials() {
        TesseraProcess.Result refused = TesseraProcess.run(work, WAIT, "cluster", "status", addr(TOKEN));
        assertEquals(3, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains(addr(TOKEN) + " down access token refused (401)"), refused.output());
        TesseraProcess.Result up = TesseraProcess.run(work, WAIT,
                java.util.Map.of("TESSERA_CLUSTER_TOKEN", "s3cret-node-token"), "cluster", "status", addr(TOKEN));
        assertEquals(0, up.exitCode(), up.output());
        assertTrue(up.output().contains(addr(TOKEN) + " up cores="), up.output());
        assertFalse(up.output().contains("s3cret"), "the token is never printed");
    }

    @Test
    void statusWithoutHostsUsesTheLastStartedConfiguration() throws Exception {
        TesseraProcess.Result none = TesseraProcess.run(work, WAIT, "cluster", "status");
        assertEquals(2, none.exitCode(), none.output());
        assertTrue(none.output().contains("no cluster was started in this workspace yet"), none.output());

        try (TesseraProcess start = TesseraProcess.start(work, "lastcfg", "cluster", "start", "--required-memory", "1",
                addr(1))) {
            assertTrue(start.process().waitFor(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), start.output());
            assertEquals(0, start.process().exitValue(), start.output());
        }
        try (TesseraProcess status = TesseraProcess.start(work, "lastcfg", "cluster", "status")) {
            assertTrue(status.process().waitFor(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), status.output());
            assertEquals(0, status.process().exitValue(), status.output());
            assertTrue(status.output().contains("Using the last cluster configuration"), status.output());
            assertTrue(status.output().contains(addr(1) + " up cores="), status.output());
        }
    }

    @Test
    void cliStatusConfigAndSpeedtest() {
        TesseraProcess.Result status = TesseraProcess.run(work, WAIT, "cluster", "status", hosts(0, 1));
        assertEquals(0, status.exitCode(), status.output());
        assertTrue(status.output().contains(addr(0) + " up cores="), status.output());

        TesseraProcess.Result xml = TesseraProcess.run(work, WAIT, "cluster", "config", "--to-xml", "pc1 - pc4");
        assertEquals(0, xml.exitCode(), xml.output());
        assertTrue(xml.output().contains("<node host=\"pc4\" port=\"7701\""), xml.output());

        TesseraProcess.Result bad = TesseraProcess.run(work, WAIT, "cluster", "config", "--to-xml", "pc1 b@d");
        assertEquals(2, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("column 5"), bad.output());
        assertTrue(bad.output().contains("bad host list"), bad.output());

        // a broken XML file is named, and called XML (it was "bad host list" before)
        java.nio.file.Path farm = work.resolve("farm.xml");
        try {
            java.nio.file.Files.writeString(farm, "<cluster><network><node host=\"pc1\"></network></cluster>");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        TesseraProcess.Result badXml = TesseraProcess.run(work, WAIT, "cluster", "config", "--file", farm.toString());
        assertEquals(2, badXml.exitCode(), badXml.output());
        assertTrue(badXml.output().contains(farm + ": bad cluster XML: "), badXml.output());
        assertTrue(!badXml.output().contains("bad host list"), badXml.output());

        TesseraProcess.Result speed = TesseraProcess.run(work, WAIT, "cluster", "speedtest", "--required-memory", "1",
                hosts(1, 2));
        assertEquals(0, speed.exitCode(), speed.output());
        assertEquals(2, speed.output().lines().filter(l -> SPEED_LINE.matcher(l).matches()).count(), speed.output());

        TesseraProcess.Result dead = TesseraProcess.run(work, WAIT, "cluster", "start", "127.0.0.1:" + TesseraProcess.freePort());
        assertEquals(3, dead.exitCode(), dead.output());
        assertTrue(dead.output().contains("connection refused"), dead.output());

        TesseraProcess.Result open = TesseraProcess.run(work, WAIT, "node", "serve", "--host", "0.0.0.0", "--port", "0");
        assertEquals(2, open.exitCode(), open.output());
        assertTrue(open.output().contains("requires an access token"), open.output());
    }
}
