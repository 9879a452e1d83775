// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.cluster.core.ClusterService;
import org.tessera.internal.cluster.ui.ClusterPart;
import org.tessera.internal.cluster.ui.NodeRow;
import org.tessera.testing.OsgiServices;
import org.tessera.testing.TesseraProcess;

/** The Cluster view over the real cluster service and two node servers started as processes. */
class ClusterViewTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Deleted by JUnit after {@code @AfterAll} has stopped the processes writing into it. */
    @TempDir
    static Path work;
    private static final int[] ports = new int[2];
    private static final TesseraProcess[] nodes = new TesseraProcess[2];

    @BeforeAll
    static void startNodes() {
        for (int i = 0; i < nodes.length; i++) {
            ports[i] = TesseraProcess.freePort();
            nodes[i] = TesseraProcess.start(work, "node" + i, "node", "serve", "--port", String.valueOf(ports[i]));
        }
        for (TesseraProcess p : nodes) {
            p.awaitLine(l -> l.startsWith("Node listening on http://127.0.0.1:"), WAIT);
        }
    }

    @AfterAll
    static void stopNodes() {
        for (TesseraProcess p : nodes) {
            if (p != null) {
                p.close();
            }
        }
    }

    @AfterEach
    void reset() {
        ClusterService cluster = OsgiServices.get(ClusterService.class);
        cluster.stop();
        cluster.setDefaultConfig();
        cluster.setIgnoreNotEnoughMemory(false);
        cluster.setRequiredMemoryMB(0);
    }

    @Test
    void validatesAsTypedAsksAboutMemoryAndStartsTheNodes() throws IOException {
        ClusterService cluster = OsgiServices.get(ClusterService.class);
        cluster.setRequiredMemoryMB(50_000_000);
        Shell shell = UiTestSupport.shell("Cluster", 820, 640);
        try {
            ClusterPart part = UiTestSupport.makePart(ClusterPart.class, shell);
            List<String> asked = new CopyOnWriteArrayList<>();
            part.question = (title, message) -> asked.add(title);
            shell.open();
            part.hostList().setFocus();
            part.hostList().setText("pc1, node01 - ");
            UiTestSupport.flush();
            assertFalse(part.canApply(), "a broken range cannot be applied");
            assertFalse(part.validation().isBlank() || part.validation().contains("node(s)"), "the fault is named: " + part.validation());

            String hosts = "127.0.0.1:" + ports[0] + " 127.0.0.1:" + ports[1];
            part.hostList().setText(hosts);
            UiTestSupport.flush();
            assertTrue(part.canApply());
            assertTrue(part.validation().startsWith("2 node(s)"), part.validation());

            UiTestSupport.join(part.startCluster());
            UiTestSupport.waitUntil("the not-enough-memory question", WAIT, () -> asked.contains("Not Enough Memory"));
            UiTestSupport.waitUntil("both nodes running", WAIT,
                    () -> part.rows().size() == 2 && part.rows().stream().allMatch(r -> r.state().equals("running")));
            assertTrue(cluster.getIgnoreNotEnoughMemory(), "the dialog's answer set the override flag");
            UiTestSupport.waitUntil("heartbeats", WAIT, () -> part.rows().stream().noneMatch(r -> r.memory().isEmpty()));
            // licence and masters come from the service's node status (its heartbeats), not from calls to the nodes
            part.refresh();
            assertTrue(part.rows().stream().allMatch(r -> r.masters().contains(cluster.getMasterId())),
                    "each node reports this master holding it: " + part.rows().stream().map(NodeRow::masters).toList());
            assertTrue(part.rows().stream().allMatch(r -> r.licence().equals(cluster.hasLicense() ? "master seat" : "none")),
                    part.rows().stream().map(NodeRow::licence).toList().toString());
            assertTrue(part.rows().stream().allMatch(r -> r.memory().matches("\\d+ / \\d+ MB")), part.rows().toString());
            UiTestSupport.join(part.speedTest());
            assertTrue(part.rows().stream().allMatch(r -> r.speed().matches("\\d+\\.\\d ms, [\\d.]+ / [\\d.]+ MB/s")),
                    part.rows().stream().map(NodeRow::speed).toList().toString());
            assertEquals(2, cluster.getRunningNodes().size());
            UiTestSupport.screenshot(shell, "cluster-view");
        } finally {
            shell.dispose();
        }
    }
}
