// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.tracker.core.TrackerService;
import org.tessera.internal.tracker.core.TrackerStore;
import org.tessera.tracker.core.JobId;
import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.FrameStatus;

/** The H2 store: state, logs and the event counter survive a restart; schema versions are applied once. */
class PersistenceTest {
    @TempDir
    Path dir;

    @Test
    void everythingSurvivesARestart() throws Exception {
        List<FrameInfo> frames;
        String log;
        long lastId;
        try (TrackerService t = Trackers.open(dir)) {
            assertEquals(2, t.store().schemaVersion());
            t.startedRenderProject("/a.hip", List.of(1, 2, 3), true, 10);
            t.startedRenderProject("/b.hip", List.of(7), false, 11);
            t.startedGeneratingFrameIFD("/a.hip", 1);
            t.endedGeneratingFrameIFD("/a.hip", 1);
            t.startedFrameRender("/a.hip", 1, 12, "/out/a.1.exr");
            t.setFrameRenderFraction("/a.hip", 1, 0.75);
            t.setFrameRenderFraction("/a.hip", 2, 1.0);
            t.setFrameDownloadFraction("/a.hip", 2, 0.3);
            t.setFrameError("/a.hip", 3, "out of memory");
            t.setProjectError("/b.hip", "scene missing");
            t.removeProject("/b.hip");
            t.startedRenderProject("/c.hip", List.of(1), false, 13);
            t.removeProject("/c.hip");
            t.startedRenderProject("/c.hip", List.of(5, 6), false, 14);
            frames = t.getAllFramesInfo("/a.hip");
            log = t.getFrameLog("/a.hip", 1);
            lastId = t.incrementAndGetLastEventId();
        }
        try (TrackerService t = Trackers.open(dir)) {
            assertEquals(List.of("/a.hip", "/c.hip"), t.getAllProjects());
            assertEquals(frames, t.getAllFramesInfo("/a.hip"));
            assertEquals(new FrameInfo(1, FrameStatus.RENDERING, 0.75), frames.get(0));
            assertEquals(FrameStatus.DOWNLOADING, frames.get(1).status());
            assertEquals(FrameStatus.ERROR, frames.get(2).status());
            assertEquals(log, t.getFrameLog("/a.hip", 1));
            assertTrue(t.getFrameLog("/a.hip", 3).contains("out of memory"));
            assertEquals(JobId.of(12), t.getFrameJobID("/a.hip", 1));
            assertEquals(JobId.of(10), t.getFrameJobID("/a.hip", 2));
            assertEquals("/out/a.1.exr", t.getImagePath("/a.hip", 1));
            assertTrue(t.doesProjectGenerateIFDs("/a.hip"));
            assertEquals(2, t.getAllFramesInfo("/c.hip").size());
            assertTrue(t.incrementAndGetLastEventId() > lastId, "the event counter continues after a restart");
            assertEquals(0, t.getChangedFrames("/a.hip", t.getChangedFrames("/a.hip", 0).eventId()).changes().size());
            assertFalse(t.isProjectDone("/a.hip"));
        }
    }

    @Test
    void migrationsRunOnceAndANewerSchemaIsRefused() throws Exception {
        try (TrackerService t = Trackers.open(dir)) {
            assertEquals(2, t.store().schemaVersion());
        }
        try (TrackerService t = Trackers.open(dir)) {
            assertEquals(2, t.store().schemaVersion(), "reopening applies nothing twice");
        }
        try (Connection c = new org.h2.Driver().connect(Trackers.jdbcUrl(dir), new Properties());
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES(99, 0)");
        }
        SQLException e = assertThrows(SQLException.class, () -> TrackerStore.open(Trackers.jdbcUrl(dir)));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("tracker.mv.db")));
    }
}
