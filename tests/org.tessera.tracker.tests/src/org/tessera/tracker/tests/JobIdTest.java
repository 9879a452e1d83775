// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.tracker.core.TrackerService;
import org.tessera.testing.TesseraProcess;
import org.tessera.tracker.core.FrameStatus;
import org.tessera.tracker.core.JobId;
import org.tessera.tracker.core.TrackerException;

/**
 * Job ids of any farm (issue 13, section 3): Python's {@code xmlrpc.client} sends int and string ids to
 * a real {@code tessera tracker serve} process and gets each back as sent, after a kill -9 (journal)
 * and after a clean restart (database) too. Databases and journals written before job ids had a kind
 * still load.
 */
class JobIdTest {

    @TempDir
    Path work;

    private static TesseraProcess serve(Path work, String name, int port, Path db) {
        return TrackerProcessTest.serve(work, name, port, db);
    }

    private String python(Path script, String mode, int port) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), mode, "http://127.0.0.1:" + port + "/RPC2")
                .redirectErrorStream(true).start();
        boolean finished = p.waitFor(90, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            p.destroyForcibly();
        }
        assertTrue(finished, "python did not finish:\n" + output);
        assertEquals(0, p.exitValue(), output);
        assertEquals("OK " + mode, output.strip());
        return output;
    }

    @Test
    void pythonSendsIntAndStringIdsAndGetsThemBackAsSentAcrossRestarts() throws Exception {
        Path script = work.resolve("job_ids.py");
        org.tessera.testing.TestFiles.copyEntry(JobIdTest.class, "scripts/job_ids.py", script);
        int port = TesseraProcess.freePort();
        Path db = work.resolve("db").resolve("tracker");
        try (TesseraProcess first = serve(work, "ids-1", port, db)) {
            python(script, "write", port);
            first.kill(); // acknowledged changes are in the journal only
        }
        try (TesseraProcess second = serve(work, "ids-2", port, db)) {
            python(script, "read", port); // replayed from the journal
        } // a clean stop: checkpointed into the database
        try (TesseraProcess third = serve(work, "ids-3", port, db)) {
            python(script, "read", port); // read back from the database rows
        }
        try (TrackerService t = TrackerService.open(Trackers.jdbcUrl(db.getParent()), null)) {
            assertEquals(JobId.of("0042"), t.getFrameJobID("ids/digits", 1));
            assertEquals(JobId.Kind.TEXT, t.getFrameJobID("ids/digits", 1).kind());
            assertEquals(JobId.of(4711), t.getFrameJobID("ids/int", 2));
            assertEquals(JobId.Kind.NUMBER, t.getFrameJobID("ids/int", 2).kind());
        }
    }

    @Test
    void textIdsAreCheckedAndNeverParsed() {
        assertEquals(JobId.Kind.TEXT, JobId.of("42").kind());
        assertTrue(!JobId.of("42").equals(JobId.of(42)), "a string that looks like a number stays a string");
        assertEquals("42", JobId.of("42").value());
        assertEquals(42L, JobId.of(42).value());
        assertThrows(IllegalArgumentException.class, () -> JobId.of(""));
        assertThrows(IllegalArgumentException.class, () -> JobId.of("a\u0001b"));
        assertThrows(IllegalArgumentException.class, () -> JobId.of("x".repeat(JobId.MAX_TEXT_LENGTH + 1)));
    }

    @Test
    void nilJobIdIsRefused() throws Exception {
        try (TrackerService t = Trackers.open(work)) {
            TrackerException e = assertThrows(TrackerException.class,
                    () -> t.startedRenderProject("/p", List.of(1), false, (JobId) null));
            assertTrue(e.getMessage().contains("job id"), e.getMessage());
        }
    }

    /** A database of schema version 1 (whole-number job ids only), as an older Tessera left it. */
    @Test
    void aVersion1DatabaseLoadsAndMigrates() throws Exception {
        try (Connection c = new org.h2.Driver().connect(Trackers.jdbcUrl(work), new Properties());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version(version INT NOT NULL, applied_ms BIGINT NOT NULL)");
            s.execute("CREATE TABLE project(name VARCHAR PRIMARY KEY, generate_ifds BOOLEAN NOT NULL, job_id BIGINT NOT NULL,"
                    + " created_ms BIGINT NOT NULL, error VARCHAR)");
            s.execute("CREATE TABLE frame(project VARCHAR NOT NULL, number INT NOT NULL, status VARCHAR(32) NOT NULL,"
                    + " render_fraction DOUBLE PRECISION NOT NULL, download_fraction DOUBLE PRECISION NOT NULL,"
                    + " job_id BIGINT NOT NULL, image_path VARCHAR, error VARCHAR, event_id BIGINT NOT NULL,"
                    + " render_started_ms BIGINT NOT NULL, render_ended_ms BIGINT NOT NULL, PRIMARY KEY(project, number))");
            s.execute("CREATE TABLE frame_log(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, project VARCHAR NOT NULL,"
                    + " number INT NOT NULL, time_ms BIGINT NOT NULL, message VARCHAR NOT NULL)");
            s.execute("CREATE TABLE tracker_state(name VARCHAR PRIMARY KEY, val BIGINT NOT NULL)");
            s.execute("INSERT INTO schema_version VALUES(1, 0)");
            s.execute("INSERT INTO project VALUES('/old.hip', FALSE, 900, 1000, NULL)");
            s.execute("INSERT INTO frame VALUES('/old.hip', 1, 'WAITING', 0, 0, 900, NULL, NULL, 1, 0, 0)");
            s.execute("INSERT INTO frame VALUES('/old.hip', 2, 'RENDERING', 0.5, 0, 901, '/o/2.exr', NULL, 2, 1000, 0)");
        }
        try (TrackerService t = Trackers.open(work)) {
            assertEquals(2, t.store().schemaVersion());
            assertEquals(JobId.of(900), t.getFrameJobID("/old.hip", 1));
            assertEquals(JobId.of(901), t.getFrameJobID("/old.hip", 2));
            assertEquals(FrameStatus.RENDERING, t.getAllFramesInfo("/old.hip").get(1).status());
            t.startedFrameRender("/old.hip", 1, JobId.of("deadbeef"), null);
        }
        try (TrackerService t = Trackers.open(work)) {
            assertEquals(JobId.of("deadbeef"), t.getFrameJobID("/old.hip", 1));
            assertEquals(JobId.of(901), t.getFrameJobID("/old.hip", 2));
        }
    }

    /**
     * A journal segment in the format of an older Tessera (operation codes 1 and 4 with a whole-number
     * job id), left by a kill -9 before a checkpoint, is replayed.
     */
    @Test
    void anOldJournalIsReplayed() throws Exception {
        try (TrackerService t = Trackers.open(work)) {
            t.startedRenderProject("/seed.hip", List.of(1), false, 1);
        }
        Path journal = Path.of(work.resolve("tracker").toAbsolutePath() + ".journal.1");
        ByteArrayOutputStream ops = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(ops);
        out.writeInt(2); // operations
        out.writeByte(1); // PUT_PROJECT, old format
        string(out, "/journal.hip");
        out.writeBoolean(true);
        out.writeLong(555);
        out.writeLong(2000);
        string(out, null);
        out.writeInt(1);
        oldFrame(out, "/journal.hip", 10, 555, 100);
        out.writeByte(4); // PUT_FRAME, old format
        oldFrame(out, "/journal.hip", 10, 556, 101);
        out.flush();
        byte[] payload = ops.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer record = ByteBuffer.allocate(16 + payload.length);
        record.putInt(payload.length).putInt((int) crc.getValue()).putLong(1_000_000).put(payload);
        Files.write(journal, record.array());
        try (TrackerService t = Trackers.open(work)) {
            assertEquals(JobId.of(556), t.getFrameJobID("/journal.hip", 10));
            assertTrue(t.doesProjectGenerateIFDs("/journal.hip"));
            assertEquals(JobId.of(1), t.getFrameJobID("/seed.hip", 1));
        }
    }

    private static void oldFrame(DataOutputStream out, String project, int number, long jobId, long eventId) throws IOException {
        string(out, project);
        out.writeInt(number);
        out.writeByte(FrameStatus.WAITING.ordinal());
        out.writeDouble(0);
        out.writeDouble(0);
        out.writeLong(jobId);
        string(out, null);
        string(out, null);
        out.writeLong(eventId);
        out.writeLong(0);
        out.writeLong(0);
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
