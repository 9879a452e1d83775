// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.tessera.cluster.core.ClusterConfig;
import org.tessera.cluster.core.ClusterConfigException;
import org.tessera.cluster.core.ClusterEvents;
import org.tessera.cluster.core.ClusterService;
import org.tessera.testing.OsgiServices;
import org.tessera.testing.TesseraProcess;

/** The DS ClusterService without nodes: configuration functions, their signals, failing starts. */
class ClusterServiceConfigTest {
    private ClusterService cluster;
    private EventRecorder events;

    @BeforeEach
    void setUp() {
        cluster = OsgiServices.get(ClusterService.class);
        events = new EventRecorder();
    }

    @AfterEach
    void tearDown() {
        cluster.stop();
        cluster.setDefaultConfig();
        events.close();
    }

    @Test
    void setConfigFiresConfigChangedWithXml() {
        cluster.setConfig("pc1 pc2 192.168.178.46");
        Event e = events.await(ClusterEvents.CONFIG_CHANGED, Duration.ofSeconds(5));
        String xml = (String) e.getProperty(ClusterEvents.CONFIG);
        assertEquals(cluster.getConfig(), xml);
        assertEquals(3, ClusterConfig.parse(xml).nodes().size());
        assertTrue(xml.contains("host=\"192.168.178.46\""), xml);
    }

    @Test
    void badConfigKeepsTheOldOneAndNamesTheToken() {
        cluster.setConfig("pc1");
        String before = cluster.getConfig();
        ClusterConfigException e = assertThrows(ClusterConfigException.class, () -> cluster.setConfig("pc1 b@d"));
        assertEquals("b@d", e.token());
        assertEquals(before, cluster.getConfig());
    }

    @Test
    void setConfigAcceptsXmlAndHostListToConfigMatches() {
        String xml = cluster.hostListToConfig("node01 - node04");
        cluster.setConfig(xml);
        assertEquals(xml, cluster.getConfig());
        assertEquals(4, cluster.getConfigModel().nodes().size());
    }

    @Test
    void defaultConfigIsLocalhost() {
        cluster.setConfig("a b c");
        cluster.setDefaultConfig();
        assertEquals("localhost:7701", cluster.getConfigModel().nodes().get(0).address());
        assertEquals(1, cluster.getConfigModel().nodes().size());
    }

    @Test
    void loadConfigReadsFilesAndReportsErrors(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.xml");
        Files.writeString(good, cluster.hostListToConfig("x1 - x3"));
        assertTrue(cluster.loadConfig(good.toString()));
        assertEquals(3, cluster.getConfigModel().nodes().size());
        Path hosts = dir.resolve("hosts.txt");
        Files.writeString(hosts, "a\nb\n");
        assertTrue(cluster.loadConfig(hosts.toString()));
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, "<cluster xmlns=\"urn:tessera:cluster:1\" version=\"1\">\n<network name=\"n\">\n<node host=\"b@d\"/>");
        assertFalse(cluster.loadConfig(bad.toString()));
        assertTrue(cluster.getProblems().get(0).contains("line 3"), cluster.getProblems().toString());
        assertFalse(cluster.loadConfig(dir.resolve("missing.xml").toString()));
        assertTrue(cluster.getProblems().get(0).contains("cannot read"), cluster.getProblems().toString());
        assertEquals(2, cluster.getConfigModel().nodes().size(), "failed loads keep the last good configuration");
    }

    @Test
    void flagsAndDisplaySettings() {
        for (boolean v : new boolean[] {true, false}) {
            cluster.setAllowMultipleServers(v);
            cluster.setConsumptionBasedLicensing(v);
            cluster.setIgnoreNotEnoughMemory(v);
            cluster.setLocalLicenseCheckout(v);
            cluster.setShowTestImage(v);
            cluster.setShowTiles(v);
            assertEquals(v, cluster.getAllowMultipleServers());
            assertEquals(v, cluster.getConsumptionBasedLicensing());
            assertEquals(v, cluster.getIgnoreNotEnoughMemory());
            assertEquals(v, cluster.getLocalLicenseCheckout());
            assertEquals(v, cluster.getShowTestImage());
            assertEquals(v, cluster.getShowTiles());
        }
        cluster.setLocalLicenseCheckout(true);
        events.clear();
        cluster.setEyeSeparation(63.5);
        cluster.setZeroParallax(2500);
        assertEquals(63.5, cluster.getConfigModel().display().eyeSeparation());
        assertEquals(2500, cluster.getConfigModel().display().zeroParallax());
        assertTrue(cluster.getConfig().contains("eyeSeparation=\"63.5\""));
        events.await(ClusterEvents.CONFIG_CHANGED, e -> ((String) e.getProperty(ClusterEvents.CONFIG))
                .contains("zeroParallax=\"2500.0\""), Duration.ofSeconds(5));
        assertThrows(IllegalArgumentException.class, () -> cluster.setEyeSeparation(-1));
        assertThrows(IllegalArgumentException.class, () -> cluster.setZeroParallax(Double.NaN));
        assertFalse(cluster.isRunning());
        assertFalse(cluster.isRestarting());
        assertFalse(cluster.hasLicense());
        assertEquals(List.of(), cluster.getRunningNodes());
        assertEquals(List.of(), cluster.runSpeedTest());
    }

    @Test
    void deadHostsFailFastWithReasons() throws IOException {
        int closed = TesseraProcess.freePort();
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // accepts connections (kernel backlog) but never answers: bounded by the request timeout
            String xml = "<cluster xmlns=\"urn:tessera:cluster:1\" version=\"1\">"
                    + "<options requestTimeoutMillis=\"1500\" connectTimeoutMillis=\"1000\"/><network name=\"n\">"
                    + "<node host=\"127.0.0.1\" port=\"" + closed + "\"/>"
                    + "<node host=\"127.0.0.1\" port=\"" + blackHole.getLocalPort() + "\"/></network></cluster>";
            cluster.setConfig(xml);
            long t0 = System.nanoTime();
            assertFalse(cluster.start());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 4000, "start took " + ms + " ms");
            List<String> problems = cluster.getProblems();
            assertEquals(2, problems.size(), problems.toString());
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("127.0.0.1:" + closed) && p.contains("refused")),
                    problems.toString());
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("127.0.0.1:" + blackHole.getLocalPort())
                    && p.contains("no answer")), problems.toString());
            Event fin = events.await(ClusterEvents.PROGRESS_FINISHED, Duration.ofSeconds(5));
            assertEquals(Boolean.FALSE, fin.getProperty(ClusterEvents.SUCCESS));
            assertTrue(events.all(ClusterEvents.PROGRESS_CHANGED).size() >= 3);
            assertTrue(events.all(ClusterEvents.STARTED).isEmpty());
            assertFalse(cluster.isRunning());
        }
    }

    @Test
    void emptyConfigurationCannotStart() {
        cluster.setConfig("");
        assertFalse(cluster.start());
        assertTrue(cluster.getProblems().get(0).contains("no enabled nodes"));
    }

    /** The PID org.tessera.cluster of Configuration Admin changes the running service (no restart, no system property). */
    @Test
    void configurationAdminChangesSeatsAndDefaultLive() throws Exception {
        org.osgi.service.cm.ConfigurationAdmin cm = OsgiServices.get(org.osgi.service.cm.ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration c = cm.getConfiguration("org.tessera.cluster", "?");
        try {
            java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();
            p.put("licenseSeats", 5);
            p.put("defaultConfig", "pc7 pc8");
            c.update(p);
            waitFor("5 seats", () -> cluster.getLicenseSeats() == 5);
            cluster.setDefaultConfig();
            assertEquals(List.of("pc7:7701", "pc8:7701"),
                    cluster.getConfigModel().nodes().stream().map(org.tessera.cluster.core.ClusterNode::address).toList());
            assertTrue(cluster == OsgiServices.get(ClusterService.class), "the same service, changed live");
        } finally {
            c.delete();
        }
        waitFor("the default 32 seats again", () -> cluster.getLicenseSeats() == 32);
        cluster.setDefaultConfig();
        assertEquals(List.of("localhost:7701"),
                cluster.getConfigModel().nodes().stream().map(org.tessera.cluster.core.ClusterNode::address).toList());
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
