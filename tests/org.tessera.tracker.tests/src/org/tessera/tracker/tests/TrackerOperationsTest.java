// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.tessera.internal.tracker.core.TrackerServer;
import org.tessera.internal.tracker.core.TrackerService;
import org.tessera.testing.OsgiServices;
import org.tessera.tracker.core.JobId;
import org.tessera.tracker.core.FrameChanges;
import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.FrameStatus;
import org.tessera.tracker.core.RenderTracker;
import org.tessera.tracker.core.RenderTrackerClient;
import org.tessera.tracker.core.TrackerEvents;
import org.tessera.tracker.core.TrackerException;
import org.tessera.tracker.core.UnknownFrameException;
import org.tessera.tracker.core.UnknownProjectException;

/**
 * Every operation of the seed, once against the DS service in this framework and once over XML-RPC
 * through the Java client, with the same expectations.
 */
class TrackerOperationsTest {
    @TempDir
    Path dir;

    @Test
    void everyOperationOnTheDsService() throws Exception {
        RenderTracker tracker = OsgiServices.get(RenderTracker.class);
        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, TrackerEvents.ALL);
        ServiceRegistration<EventHandler> reg = OsgiServices.context().registerService(EventHandler.class, events::add, props);
        try {
            String name = "/ds/shot-" + System.nanoTime() + ".hip";
            everyOperation(tracker, name);
            // EventAdmin saw the project start, frame changes and the removal, in order for this project
            List<String> topics = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!topics.contains(TrackerEvents.PROJECT_REMOVED) && System.currentTimeMillis() < deadline) {
                Event e = events.poll(200, TimeUnit.MILLISECONDS);
                if (e != null && name.equals(e.getProperty(TrackerEvents.PROJECT))) {
                    topics.add(e.getTopic());
                    if (e.getTopic().equals(TrackerEvents.FRAME_CHANGED)) {
                        assertTrue(e.getProperty(TrackerEvents.FRAME) instanceof Integer);
                        assertTrue(e.getProperty(TrackerEvents.EVENT_ID) instanceof Long);
                        FrameStatus.valueOf((String) e.getProperty(TrackerEvents.STATUS));
                    }
                }
            }
            assertEquals(TrackerEvents.PROJECT_STARTED, topics.get(0), topics.toString());
            assertTrue(topics.contains(TrackerEvents.FRAME_CHANGED), topics.toString());
            assertTrue(topics.contains(TrackerEvents.PROJECT_ERROR), topics.toString());
            assertEquals(TrackerEvents.PROJECT_REMOVED, topics.get(topics.size() - 1), topics.toString());
        } finally {
            reg.unregister();
        }
    }

    @Test
    void everyOperationOverXmlRpc() throws Exception {
        try (TrackerService service = Trackers.open(dir); TrackerServer server = TrackerServer.start(service, 0)) {
            RenderTrackerClient client = RenderTrackerClient.getConnection("127.0.0.1", server.port());
            assertTrue(client != null, "getConnection finds the tracker");
            assertTrue(client == RenderTrackerClient.getConnection("127.0.0.1", server.port()), "cached connection");
            everyOperation(client, "/xmlrpc/shot.hip");
            assertEquals("ann:C:/shots/a.hip", client.call("applyProjectNameFormula", "ann", "C:\\shots\\a.hip"));
        }
    }

    @Test
    void aFractionGoingBackAndForthLogsEachStepOncePerAttempt() throws Exception {
        try (TrackerService t = Trackers.open(dir)) {
            String name = "/log/shot.hip";
            t.startedRenderProject(name, List.of(1), false, 7);
            t.startedFrameRender(name, 1, 7, "/out/a.exr");
            for (int round = 0; round < 50; round++) {
                for (double f : new double[] {0.15, 0.35, 0.05, 0.32, 0.2}) {
                    t.setFrameRenderFraction(name, 1, f);
                }
            }
            String log = t.getFrameLog(name, 1);
            assertEquals(1, count(log, "rendered 10%"), log);
            assertEquals(1, count(log, "rendered 30%"), log);
            assertEquals(0, count(log, "rendered 20%"), "a step jumped over is not logged:\n" + log);
            // a new attempt after an error logs its steps again
            t.setFrameError(name, 1, "node lost");
            t.setFrameRenderFraction(name, 1, 0.31);
            log = t.getFrameLog(name, 1);
            assertEquals(2, count(log, "rendered 30%"), log);
            assertTrue(log.indexOf("node lost") < log.lastIndexOf("rendered 30%"), log);
            // whatever a client does, the log kept in memory stays bounded and keeps the newest lines
            for (int i = 0; i < TrackerService.MAX_LOG_LINES + 50; i++) {
                t.setFrameError(name, 1, "failure " + i);
            }
            log = t.getFrameLog(name, 1);
            assertTrue(log.lines().count() <= TrackerService.MAX_LOG_LINES, "lines: " + log.lines().count());
            assertTrue(log.contains("failure " + (TrackerService.MAX_LOG_LINES + 49)), "newest line kept");
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void getConnectionAnswersNullWhenNoTrackerAnswers() {
        assertNull(RenderTrackerClient.getConnection("127.0.0.1", org.tessera.testing.TesseraProcess.freePort()));
    }

    /** The whole life of a project, touching every operation. */
    static void everyOperation(RenderTracker t, String name) {
        assertTrue(t.isRunning());
        assertFalse(t.isProjectRunning(name));
        assertFalse(t.doesProjectGenerateIFDs(name));
        assertEquals(name, t.suggestInactiveProjectName(name));
        assertThrows(UnknownProjectException.class, () -> t.getAllFramesInfo(name));
        assertThrows(TrackerException.class, () -> t.startedRenderProject(name, List.of(), false, 1));

        t.startedRenderProject(name, List.of(3, 1, 2, 2), true, 100);
        assertTrue(t.getAllProjects().contains(name));
        List<String> all = t.getAllProjects();
        List<String> sorted = new ArrayList<>(all);
        Collections.sort(sorted);
        assertEquals(sorted, all, "getAllProjects is sorted");
        assertTrue(t.doesProjectGenerateIFDs(name));
        assertTrue(t.isProjectRunning(name));
        assertFalse(t.isProjectDone(name));
        assertEquals(name + " (2)", t.suggestInactiveProjectName(name));
        assertEquals(List.of(new FrameInfo(1, FrameStatus.WAITING, 0), new FrameInfo(2, FrameStatus.WAITING, 0),
                new FrameInfo(3, FrameStatus.WAITING, 0)), t.getAllFramesInfo(name), "duplicates dropped, sorted");
        assertEquals(JobId.of(100), t.getFrameJobID(name, 2));
        assertNull(t.getImagePath(name, 1));
        assertEquals(-1.0, t.getEstimatedRenderSecondsLeft(name), "nothing measured yet");

        FrameChanges first = t.getChangedFrames(name, 0);
        assertEquals(3, first.changes().size());
        assertEquals(0, t.getChangedFrames(name, first.eventId()).changes().size());

        t.startedGeneratingFrameIFD(name, 1);
        assertEquals(FrameStatus.GENERATING_IFD, t.getAllFramesInfo(name).get(0).status());
        t.endedGeneratingFrameIFD(name, 1);
        t.startedFrameRender(name, 1, 101, "/out/shot.0001.exr");
        assertEquals(JobId.of(101), t.getFrameJobID(name, 1));
        assertEquals("/out/shot.0001.exr", t.getImagePath(name, 1));
        t.setFrameRenderFraction(name, 1, 0.25);
        t.setFrameRenderFraction(name, 1, 50.0); // a percentage, as Mantra sends
        assertEquals(new FrameInfo(1, FrameStatus.RENDERING, 0.5), t.getAllFramesInfo(name).get(0));
        FrameChanges second = t.getChangedFrames(name, first.eventId());
        assertEquals(List.of(new FrameInfo(1, FrameStatus.RENDERING, 0.5)), second.changes());
        assertTrue(second.eventId() > first.eventId());

        t.setFrameRenderFraction(name, 1, 100.0);
        assertEquals(FrameStatus.RENDERED, t.getAllFramesInfo(name).get(0).status());
        long afterRendered = t.getChangedFrames(name, 0).eventId();
        t.setFrameRenderFraction(name, 1, 100.0); // Mantra repeats it: no change, no new event id
        assertEquals(afterRendered, t.getChangedFrames(name, 0).eventId());
        t.setFrameDownloadFraction(name, 1, 0.5);
        assertEquals(new FrameInfo(1, FrameStatus.DOWNLOADING, 0.5), t.getAllFramesInfo(name).get(0));
        t.setFrameDownloadFraction(name, 1, 1.0);
        assertEquals(new FrameInfo(1, FrameStatus.DONE, 1.0), t.getAllFramesInfo(name).get(0));

        for (double bad : new double[] {Double.NaN, -0.1, 100.5, Double.POSITIVE_INFINITY}) {
            if (Double.isNaN(bad) || Double.isInfinite(bad)) {
                if (t instanceof RenderTrackerClient) {
                    continue; // XML-RPC cannot carry NaN or infinity
                }
            }
            TrackerException e = assertThrows(TrackerException.class, () -> t.setFrameRenderFraction(name, 2, bad));
            assertEquals(TrackerException.INVALID_ARGUMENT, e.faultCode(), e.getMessage());
            assertTrue(e.getMessage().contains("fraction"), e.getMessage());
        }
        assertThrows(UnknownFrameException.class, () -> t.setFrameRenderFraction(name, 99, 0.5));

        t.startedFrameRender(name, 2, 102, "/out/shot.0002.exr");
        t.setFrameError(name, 2, "mantra: license lost");
        assertEquals(FrameStatus.ERROR, t.getAllFramesInfo(name).get(1).status());
        assertTrue(t.getFrameLog(name, 2).contains("mantra: license lost"), t.getFrameLog(name, 2));
        String log = t.getFrameLog(name, 1);
        for (String expected : new String[] {"project started", "generating IFD", "IFD generated", "rendering started",
            "rendered 50%", "rendered in", "downloading", "downloaded"}) {
            assertTrue(log.contains(expected), "log has '" + expected + "':\n" + log);
        }
        assertTrue(log.lines().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z  .+")), log);

        long beforeEventId = t.incrementAndGetLastEventId();
        assertTrue(t.incrementAndGetLastEventId() > beforeEventId);

        t.setProjectError(name, "disk full");
        assertTrue(t.getAllFramesInfo(name).stream().allMatch(f -> f.status() == FrameStatus.ERROR));
        assertFalse(t.isProjectRunning(name), "all frames final");
        assertFalse(t.isProjectDone(name), "errors are not done");
        assertEquals(name, t.suggestInactiveProjectName(name), "not running any more");

        // re-rendering replaces the project; event ids keep growing so watchers see the new frames
        long oldId = t.getChangedFrames(name, 0).eventId();
        t.startedRenderProject(name, List.of(1, 2), false, 200);
        FrameChanges fresh = t.getChangedFrames(name, oldId);
        assertEquals(2, fresh.changes().size());
        assertFalse(t.doesProjectGenerateIFDs(name));
        t.setFrameRenderFraction(name, 1, 1.0);
        t.setFrameRenderFraction(name, 2, 1.0);
        assertTrue(t.isProjectDone(name));
        assertEquals(0.0, t.getEstimatedRenderSecondsLeft(name));

        assertTrue(t.removeProject(name));
        assertFalse(t.removeProject(name));
        assertFalse(t.getAllProjects().contains(name));
        assertThrows(UnknownProjectException.class, () -> t.isProjectDone(name));
    }
}
