// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.tracker.core.TrackerServer;
import org.tessera.internal.tracker.core.TrackerService;
import org.tessera.tracker.core.JobId;
import org.tessera.tracker.core.FrameStatus;

/**
 * Python's standard {@code xmlrpc.client} drives the tracker through a whole project's life, as
 * HQueue's render scripts do (scripts/hqueue_render.py), with the token as Basic password.
 */
class PythonClientTest {
    @TempDir
    Path dir;

    @Test
    void pythonXmlRpcClientRunsAWholeProject() throws Exception {
        Path script = dir.resolve("hqueue_render.py");
        org.tessera.testing.TestFiles.copyEntry(PythonClientTest.class, "scripts/hqueue_render.py", script);
        try (TrackerService service = Trackers.open(dir);
                TrackerServer server = TrackerServer.start(service, "127.0.0.1", 0, "py-token", TrackerServer.DEFAULT_MAX_BODY, 16)) {
            String bare = server.uri().toString();
            String withToken = bare.replace("http://", "http://hqueue:py-token@");
            Process p = new ProcessBuilder("python3", script.toString(), withToken, bare, "ann", "C:\\shots\\robot.hip")
                    .redirectErrorStream(true).start();
            boolean finished = p.waitFor(90, TimeUnit.SECONDS);
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!finished) {
                p.destroyForcibly();
            }
            assertTrue(finished, "python did not finish:\n" + output);
            assertEquals(0, p.exitValue(), output);
            String project = "ann:C:/shots/robot.hip";
            assertEquals("OK " + project, output.strip());
            // what Python did is what the Java service holds
            assertEquals(List.of(project), service.getAllProjects());
            assertTrue(service.isProjectDone(project));
            assertTrue(service.getAllFramesInfo(project).stream().allMatch(f -> f.status() == FrameStatus.DONE));
            assertEquals(JobId.of(106), service.getFrameJobID(project, 5));
            assertTrue(service.getFrameLog(project, 5).contains("segmentation fault"));
        }
    }
}
