// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.tessera.cluster.core.ClusterEvents;
import org.tessera.cluster.core.ClusterService;
import org.tessera.core.FrameRange;
import org.tessera.internal.render.core.RenderJobRun;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderJob;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderScene;
import org.tessera.testing.OsgiServices;
import org.tessera.testing.TesseraProcess;

/**
 * A job on the running cluster follows its membership through {@link ClusterEvents}: a node process that
 * stops answering (SIGSTOP: its connections stay open, so no tile of the job fails) leaves the job when the
 * cluster's heartbeat posts RUNNING_NODES_CHANGED, long before any tile timeout, and joins it again when it
 * recovers. Nothing in the renderer polls the cluster service.
 */
class ClusterMembershipTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    @TempDir
    static Path work;
    private static final List<TesseraProcess> nodes = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();

    @BeforeAll
    static void startNodes() {
        RenderFixtures.startNodes(work, "member", 2, nodes, ports, "raytracer");
    }

    @AfterAll
    static void stopNodes() {
        nodes.forEach(TesseraProcess::close);
    }

    private static String addr(int i) {
        return "127.0.0.1:" + ports.get(i);
    }

    private static void signal(TesseraProcess p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    private static RenderJobRun watched;

    private static void waitUntil(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                RenderJobRun r = watched;
                throw new AssertionError("not within " + timeout + ": " + what + (r == null ? "" : "; job " + r.state()
                        + " " + r.progress() + " tiles " + r.tilesByWorker() + " active " + r.activeWorkers() + " lost "
                        + r.lostWorkers() + (r.state() == JobState.RUNNING ? "" : " error " + result(r))));
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aNodeThatStopsAnsweringLeavesTheJobOnTheClusterEventAndComesBack() throws Exception {
        ClusterService cluster = OsgiServices.get(ClusterService.class);
        List<Event> changes = new CopyOnWriteArrayList<>();
        Hashtable<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, ClusterEvents.RUNNING_NODES_CHANGED);
        ServiceRegistration<EventHandler> recorder = OsgiServices.context().registerService(EventHandler.class,
                changes::add, topics);
        RenderJob job = null;
        try {
            cluster.setConfig("<cluster xmlns=\"urn:tessera:cluster:1\" version=\"1\">"
                    + "<options heartbeatMillis=\"200\" requestTimeoutMillis=\"5000\"/><network name=\"n\">"
                    + "<node host=\"127.0.0.1\" port=\"" + ports.get(0) + "\"/>"
                    + "<node host=\"127.0.0.1\" port=\"" + ports.get(1) + "\"/></network></cluster>");
            cluster.setRequiredMemoryMB(1);
            assertTrue(cluster.start(), cluster.getProblems().toString());

            RenderScene scene = RenderScene.ofFile(RenderFixtures.exampleScenes(work.resolve("scenes")).resolve("spheres.json"));
            // far more frames than the test waits for: the job is cancelled at the end
            job = RenderFixtures.renderer().start(RenderRequest.of(scene, FrameRange.of(1, 1000), 96, 64,
                    work.resolve("frames").resolve("m_#####.png").toString()).withEngine("raytracer").withTileSize(16), null);
            RenderJobRun run = (RenderJobRun) job;
            watched = run;
            waitUntil("both nodes render tiles", WAIT, () -> run.tilesByWorker().getOrDefault(addr(0), 0) > 0
                    && run.tilesByWorker().getOrDefault(addr(1), 0) > 0);
            assertEquals(Set.of(addr(0), addr(1)), Set.copyOf(run.activeWorkers()));

            TesseraProcess stopped = nodes.get(1);
            signal(stopped, "STOP");
            long t0 = System.nanoTime();
            try {
                waitUntil("RUNNING_NODES_CHANGED losing " + addr(1), WAIT, () -> changes.stream().anyMatch(
                        lost(ClusterEvents.LOST, addr(1))));
                waitUntil(addr(1) + " leaves the job", Duration.ofSeconds(10), () -> !run.activeWorkers().contains(addr(1)));
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(seconds < 60, "left after " + seconds + " s: the cluster event, not the 5-minute tile timeout");
                assertEquals(JobState.RUNNING, job.state());
                assertEquals(List.of(addr(0)), run.activeWorkers());
                assertFalse(job.lostWorkers().containsKey(addr(1)), "it left with the cluster, it was not blocklisted: "
                        + job.lostWorkers());
                int rendered = run.tilesByWorker().getOrDefault(addr(0), 0);
                waitUntil("the job goes on on " + addr(0), WAIT, () -> run.tilesByWorker().getOrDefault(addr(0), 0) > rendered + 4);
            } finally {
                signal(stopped, "CONT");
            }
            waitUntil("RUNNING_NODES_CHANGED recovering " + addr(1), WAIT, () -> changes.stream().anyMatch(
                    lost(ClusterEvents.RECOVERED, addr(1))));
            waitUntil(addr(1) + " joins the job again", Duration.ofSeconds(10), () -> run.activeWorkers().contains(addr(1)));
            // its tiles that were in flight when it stopped (at most its capacity, 2) arrive too; more means new ones
            int before = run.tilesByWorker().getOrDefault(addr(1), 0);
            waitUntil(addr(1) + " renders new tiles", WAIT, () -> run.tilesByWorker().getOrDefault(addr(1), 0) > before + 2);
            assertEquals(JobState.RUNNING, job.state());
        } finally {
            if (job != null) {
                job.cancel();
                job.await(Duration.ofSeconds(30));
            }
            recorder.unregister();
            cluster.stop();
            cluster.setDefaultConfig();
            cluster.setRequiredMemoryMB(0);
        }
    }

    private static String result(RenderJobRun r) {
        try {
            var res = r.await(Duration.ofSeconds(1));
            return res == null ? "-" : res.error();
        } catch (InterruptedException e) {
            return "interrupted";
        }
    }

    private static Predicate<Event> lost(String key, String address) {
        return e -> e.getProperty(key) instanceof List<?> l && l.contains(address);
    }
}
