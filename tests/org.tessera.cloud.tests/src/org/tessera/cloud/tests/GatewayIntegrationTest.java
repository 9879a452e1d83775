// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.cloud.core.AuthenticationError;
import org.tessera.cloud.core.CreditsBudgetAction;
import org.tessera.cloud.core.EnvoyClient;
import org.tessera.cloud.core.InsufficientCreditsError;
import org.tessera.cloud.core.InvalidRequestError;
import org.tessera.cloud.core.Job;
import org.tessera.cloud.core.Project;
import org.tessera.cloud.core.ProjectStatus;
import org.tessera.cloud.core.WatchFile;
import org.tessera.core.FrameRange;
import org.tessera.internal.cloud.gateway.UserLedger;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.TileRenderer;
import org.tessera.testing.OsgiServices;
import org.tessera.testing.TesseraProcess;

/** The Java client, a Python client and the CLI against a real {@code tessera gateway serve} process. */
class GatewayIntegrationTest {
    static final String ARTIST = "artist@example.com";
    static final String BROKE = "broke@example.com";

    @TempDir
    static Path work;
    static Path data;
    static TesseraProcess gateway;
    static URI url;
    static String artistKey;
    static String brokeKey;

    @BeforeAll
    static void startGateway() throws IOException {
        data = work.resolve("gateway-data");
        TesseraProcess.Result added = TesseraProcess.run(work, Duration.ofSeconds(90), "gateway", "user", "add", ARTIST,
                "--credits", "1000", "--data", data.toString());
        assertEquals(0, added.exitCode(), added.output());
        Matcher m = Pattern.compile("Access key for " + Pattern.quote(ARTIST) + ": (\\S+)").matcher(added.output());
        assertTrue(m.find(), added.output());
        artistKey = m.group(1);
        brokeKey = new UserLedger(data).addUser(BROKE, 0);
        gateway = TesseraProcess.start(work, "gw", "gateway", "serve", "--port", "0", "--data", data.toString(),
                "--credits-per-node-second", "1");
        String line = gateway.awaitLine(l -> l.startsWith("Envoy gateway listening on http://127.0.0.1:"),
                Duration.ofSeconds(90));
        url = URI.create(line.substring(line.indexOf("http://")).trim());
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    static EnvoyClient artist() {
        EnvoyClient c = new EnvoyClient(url);
        c.authenticate(ARTIST, artistKey);
        return c;
    }

    static Path spheresProject(String name) throws IOException {
        Path root = Files.createDirectories(work.resolve("projects").resolve(name));
        Path scenes = Path.of(System.getProperty("tessera.repo.root"), "bundles/org.tessera.render.raytracer/scenes");
        Files.copy(scenes.resolve("spheres.json"), root.resolve("spheres.json"));
        return root;
    }

    static ProjectStatus awaitFinished(EnvoyClient client, String name, List<ProjectStatus> seen) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (System.nanoTime() < deadline) {
            ProjectStatus s = client.getProjectStatus(name);
            seen.add(s);
            if (s.isFinished()) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("project " + name + " did not finish: " + seen.get(seen.size() - 1) + "\n" + gateway.output());
    }

    @Test
    void wrongKeyIsAnAuthenticationError() {
        try (EnvoyClient c = new EnvoyClient(url)) {
            assertThrows(AuthenticationError.class, () -> c.authenticate(ARTIST, "not-the-key"));
            assertThrows(AuthenticationError.class, () -> c.authenticate("nobody@example.com", artistKey));
            assertThrows(AuthenticationError.class, c::validateAuth, "no session after a failed login");
            c.authenticate(ARTIST, artistKey);
            assertTrue(c.validateAuth());
            assertEquals(ARTIST, c.getUserInfo().emailAddress());
        }
    }

    @Test
    void zeroCreditsCannotUpload() throws IOException {
        Path root = spheresProject("broke-project");
        try (EnvoyClient c = new EnvoyClient(url)) {
            c.authenticate(BROKE, brokeKey);
            assertEquals(0.0, c.getUserInfo().creditsAvailable());
            assertThrows(InsufficientCreditsError.class, c::validateCredits);
            Project p = new Project(root).addAllFiles();
            assertThrows(InsufficientCreditsError.class, () -> c.uploadProjectFiles(p));
            p.addJobs(new Job("j", "raytracer", "0.1.0", "render", "broke-project/spheres.json"));
            assertThrows(InsufficientCreditsError.class, () -> c.submitProject(p));
            assertThrows(InsufficientCreditsError.class, () -> c.transferProjectFiles(p));
            assertThrows(InvalidRequestError.class, () -> c.getProjectStatus("broke-project"));
        }
        assertFalse(Files.exists(data.resolve("projects/broke-project")), "nothing stored");
    }

    @Test
    void uploadProgressGrowsToTheTotal() throws Exception {
        Path root = spheresProject("upload-project");
        byte[] chunk = new byte[1 << 20];
        new java.util.Random(7).nextBytes(chunk);
        try (OutputStream out = Files.newOutputStream(root.resolve("cache.bin"))) {
            for (int i = 0; i < 192; i++) {
                out.write(chunk);
            }
        }
        long total = Files.size(root.resolve("cache.bin")) + Files.size(root.resolve("spheres.json"));
        try (EnvoyClient c = artist()) {
            String name = c.uploadProjectFiles(new Project(root).addAllFiles());
            assertEquals("upload-project", name);
            List<Long> done = new ArrayList<>();
            List<Double> speeds = new ArrayList<>();
            ProjectStatus s;
            do {
                s = c.getProjectStatus(name);
                done.add(s.bytesDone());
                speeds.add(s.speed());
                Thread.sleep(5);
            } while (!s.state().equals("Uploaded") && done.size() < 20_000);
            assertEquals("Uploaded", s.state(), s.message());
            assertEquals(total, s.bytesTotal());
            assertEquals(total, s.bytesDone());
            for (int i = 1; i < done.size(); i++) {
                assertTrue(done.get(i) >= done.get(i - 1), "progress never goes back: " + done);
            }
            assertTrue(done.stream().anyMatch(d -> d > 0 && d < total), "saw progress between 0 and the total");
            assertTrue(speeds.stream().anyMatch(v -> v > 0), "a speed while uploading: " + speeds);
            assertEquals("Completed", s.details().get("/upload-project/cache.bin").state());
        }
        assertEquals(-1L, Files.mismatch(root.resolve("cache.bin"), data.resolve("projects/upload-project/cache.bin")));
    }

    @Test
    void twoDependentJobsRenderAndWatchFilesMatchADirectRender() throws Exception {
        Path root = spheresProject("dep-project");
        Path downloads = work.resolve("downloads-dep");
        try (EnvoyClient c = artist()) {
            double before = c.getUserInfo().creditsAvailable();
            assertTrue(c.getProductResolver().getVersionsByType("raytracer").size() == 1);
            String version = c.getProductResolver().getVersionsByType("raytracer").get(0);
            Project p = new Project(root, null, "take1", null).addAllFiles();
            Job a = new Job("first", "raytracer", version, "render", "dep-project/spheres.json").setFrames("1 2");
            Job b = new Job("second", "raytracer", version, "render", "dep-project/spheres.json").setFrames("3 4");
            for (Job j : List.of(a, b)) {
                j.setParam("output_width", 64).setParam("output_height", 48);
            }
            b.addDependencies(a);
            p.addJobs(b, a);
            p.addWatchFiles(new WatchFile(".*/render_results/take1/.+\\.png", downloads));
            String name = c.submitProject(p);
            List<ProjectStatus> seen = new ArrayList<>();
            ProjectStatus s = awaitFinished(c, name, seen);
            assertEquals("Completed", s.state(), s.toString());
            for (ProjectStatus st : seen) {
                ProjectStatus.JobStatus second = st.jobs().stream().filter(j -> j.name().equals("second")).findFirst().orElseThrow();
                ProjectStatus.JobStatus first = st.jobs().stream().filter(j -> j.name().equals("first")).findFirst().orElseThrow();
                if (!second.state().equals("Waiting")) {
                    assertEquals("Completed", first.state(), "second started before first completed: " + st);
                }
            }
            assertTrue(s.jobs().stream().allMatch(j -> j.framesDone() == 2 && j.creditsConsumed() > 0), s.toString());
            assertTrue(c.getUserInfo().creditsAvailable() < before, "credits charged");
        }
        TileRenderer renderer = OsgiServices.get(TileRenderer.class);
        Path direct = work.resolve("direct");
        // the same frame ranges as the two jobs: the scene clock runs over the job's range
        for (FrameRange range : List.of(FrameRange.of(1, 2), FrameRange.of(3, 4))) {
            var result = renderer.start(RenderRequest.of(RenderScene.ofFile(root.resolve("spheres.json")), range,
                    64, 48, direct.resolve("frame_####.png").toString()).withEngine("raytracer"), p -> {
                    }).await();
            assertEquals(2, result.written().size(), String.valueOf(result));
        }
        for (int f = 1; f <= 4; f++) {
            String file = String.format("frame_%04d.png", f);
            // each job's frames in its own folder below the watch folder
            Path got = downloads.resolve(f <= 2 ? "first" : "second").resolve(file);
            assertTrue(Files.isRegularFile(got), "downloaded " + got);
            assertArrayEquals(Files.readAllBytes(direct.resolve(file)), Files.readAllBytes(got), file);
        }
    }

    @Test
    void budgetStopsTheJobMidway() throws Exception {
        Path root = spheresProject("budget-project");
        try (EnvoyClient c = artist()) {
            String version = c.getProductResolver().getVersionsByType("raytracer").get(0);
            Project p = new Project(root).addAllFiles();
            Job j = new Job("long", "raytracer", version, "render", "budget-project/spheres.json").setFrames("1 400");
            j.setParam("output_width", 64).setParam("output_height", 48);
            j.setCreditsBudget(0.0001, CreditsBudgetAction.STOP);
            p.addJobs(j);
            String name = c.submitProject(p);
            ProjectStatus s = awaitFinished(c, name, new ArrayList<>());
            ProjectStatus.JobStatus js = s.jobs().get(0);
            assertEquals("Stopped", js.state(), js.toString());
            assertTrue(js.framesDone() >= 1 && js.framesDone() < 400, js.toString());
            assertTrue(js.creditsConsumed() >= 0.0001, js.toString());
            assertTrue(js.message().contains("budget"), js.message());
        }
    }

    @Test
    void budgetSuspendsTheJobAndResumeRendersTheRest() throws Exception {
        Path root = spheresProject("suspend-project");
        Path downloads = work.resolve("downloads-suspend");
        try (EnvoyClient c = artist()) {
            String version = c.getProductResolver().getVersionsByType("raytracer").get(0);
            Project p = new Project(root, null, "take1", null).addAllFiles();
            Job first = new Job("first", "raytracer", version, "render", "suspend-project/spheres.json").setFrames("1 24");
            Job after = new Job("after", "raytracer", version, "render", "suspend-project/spheres.json").setFrames("1 2");
            for (Job j : List.of(first, after)) {
                j.setParam("output_width", 48).setParam("output_height", 36);
            }
            first.setCreditsBudget(0.0001, CreditsBudgetAction.SUSPEND);
            after.addDependencies(first);
            p.addJobs(first, after);
            p.addWatchFiles(new WatchFile(".*/render_results/take1/first/.+\\.png", downloads));
            String name = c.submitProject(p);
            ProjectStatus s = awaitFinished(c, name, new ArrayList<>());
            assertEquals("Suspended", s.state(), s.toString());
            ProjectStatus.JobStatus js = job(s, "first");
            assertEquals("Suspended", js.state(), js.toString());
            assertTrue(js.framesDone() >= 1 && js.framesDone() < 24, js.toString());
            assertTrue(js.message().contains("suspended"), js.message());
            assertEquals("Waiting", job(s, "after").state(), "a job behind a suspended one waits: " + s);
            long doneWhenSuspended = js.framesDone();
            double consumed = js.creditsConsumed();
            Thread.sleep(300);
            assertEquals(doneWhenSuspended, job(c.getProjectStatus(name), "first").framesDone(), "nothing renders while suspended");

            // a new budget must exceed what the job consumed
            InvalidRequestError low = assertThrows(InvalidRequestError.class,
                    () -> c.resumeProject(name, consumed / 2, CreditsBudgetAction.STOP));
            assertTrue(low.errors().get(0).contains("is not more than"), low.errors().toString());

            assertEquals(List.of(first.id()), c.resumeProject(name, 1000, CreditsBudgetAction.STOP));
            s = awaitFinished(c, name, new ArrayList<>());
            assertEquals("Completed", s.state(), s.toString());
            js = job(s, "first");
            assertEquals(24, js.framesDone(), "frames counted once across the suspension: " + js);
            assertTrue(js.creditsConsumed() > consumed, js.toString());
            assertEquals("Completed", job(s, "after").state(), s.toString());
            InvalidRequestError none = assertThrows(InvalidRequestError.class, () -> c.resumeProject(name));
            assertTrue(none.getMessage().contains("no suspended jobs"), none.getMessage());
        }
        // the frames rendered before and after the suspension are those of one uninterrupted render
        Path direct = work.resolve("direct-suspend");
        var result = OsgiServices.get(TileRenderer.class).start(RenderRequest.of(RenderScene.ofFile(root.resolve("spheres.json")),
                FrameRange.of(1, 24), 48, 36, direct.resolve("frame_####.png").toString()).withEngine("raytracer"), p -> {
                }).await();
        assertEquals(24, result.written().size(), String.valueOf(result));
        for (int f = 1; f <= 24; f++) {
            String file = String.format("frame_%04d.png", f);
            assertArrayEquals(Files.readAllBytes(direct.resolve(file)), Files.readAllBytes(downloads.resolve("first").resolve(file)), file);
        }
    }

    @Test
    void budgetAlertLetsTheJobFinishAndShowsInStatus() throws Exception {
        Path root = spheresProject("alert-project");
        try (EnvoyClient c = artist()) {
            String version = c.getProductResolver().getVersionsByType("raytracer").get(0);
            Project p = new Project(root).addAllFiles();
            Job j = new Job("watched", "raytracer", version, "render", "alert-project/spheres.json").setFrames("1 60");
            j.setParam("output_width", 48).setParam("output_height", 36);
            j.setCreditsBudget(0.0001, CreditsBudgetAction.ALERT);
            p.addJobs(j);
            String name = c.submitProject(p);
            List<ProjectStatus> seen = new ArrayList<>();
            ProjectStatus s = awaitFinished(c, name, seen);
            assertEquals("Completed", s.state(), s.toString());
            ProjectStatus.JobStatus js = job(s, "watched");
            assertEquals(60, js.framesDone(), js.toString());
            assertTrue(js.creditsConsumed() > 0.0001, js.toString());
            assertEquals(1, s.alerts().size(), "one alert, raised once: " + s.alerts());
            assertTrue(s.alerts().get(0).contains("job 'watched': credits budget 1.0E-4 reached"), s.alerts().toString());
            assertTrue(js.message().startsWith("alert:"), js.message());
            assertTrue(seen.stream().anyMatch(st -> !st.alerts().isEmpty() && st.state().equals("Rendering")
                    && job(st, "watched").framesDone() < 60), "the alert is visible while the job goes on: " + seen);
        }
        TesseraProcess.Result r = TesseraProcess.run(work, Duration.ofSeconds(90), "cloud", "status", "alert-project",
                "--url", url.toString(), "--email", ARTIST, "--access-key-file", keyFile().toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("ALERT job 'watched': credits budget"), r.output());
    }

    static ProjectStatus.JobStatus job(ProjectStatus s, String name) {
        return s.jobs().stream().filter(j -> j.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no job " + name + " in " + s));
    }

    static Path keyFile() throws IOException {
        Path keyFile = work.resolve("artist.key");
        Files.writeString(keyFile, artistKey);
        return keyFile;
    }

    static HttpResponse<String> raw(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-Envoy-Session", token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String token() throws Exception {
        HttpResponse<String> r = raw("POST", "/auth", "{\"Username\":\"" + ARTIST + "\",\"AccessKey\":\"" + artistKey + "\"}", null);
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject().get("Token").getAsString();
    }

    @Test
    void badInputIsRefusedAndNothingIsHalfStored() throws Exception {
        Path root = spheresProject("bad-project");
        Files.writeString(work.resolve("projects/outside.txt"), "secret");
        String token = token();
        String traversal = "{\"upload\":[{\"localRoot\":\"" + root + "\",\"remoteRoot\":\"/bad-project\",\"files\":[\"spheres.json\",\"../outside.txt\"]}]}";
        HttpResponse<String> r = raw("POST", "/upload", traversal, token);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("leaves its root"), r.body());
        r = raw("POST", "/upload", traversal.replace("../outside.txt", work.resolve("projects/outside.txt").toString()), token);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("must be relative"), r.body());
        Files.createSymbolicLink(root.resolve("link.txt"), work.resolve("projects/outside.txt"));
        r = raw("POST", "/upload", traversal.replace("../outside.txt", "link.txt"), token);
        assertEquals(400, r.statusCode(), r.body());
        r = raw("POST", "/project-submit", "{\"project_request\": {\"name\": ", token);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("errors").get(0).getAsString()
                .startsWith("malformed JSON"), r.body());
        String cyclic = "{\"project_request\":{\"name\":\"bad-project 1\",\"jobs\":["
                + "{\"id\":\"a\",\"name\":\"A\",\"app\":\"raytracer\",\"operation\":\"render\",\"path\":\"bad-project/spheres.json\",\"params\":{\"frames\":\"1\"},\"dependencies\":[\"b\"]},"
                + "{\"id\":\"b\",\"name\":\"B\",\"app\":\"raytracer\",\"operation\":\"render\",\"path\":\"bad-project/spheres.json\",\"params\":{\"frames\":\"1\"},\"dependencies\":[\"a\"]}]},"
                + "\"project_files\":{\"localRoot\":\"" + root + "\",\"remoteRoot\":\"/bad-project\",\"files\":[\"spheres.json\"]}}";
        r = raw("POST", "/project-submit", cyclic, token);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("cyclic job dependencies: A -> B -> A"), r.body());
        r = raw("POST", "/project-submit", cyclic.replace("\"path\":\"bad-project/spheres.json\"", "\"path\":\"../../etc/passwd\""), token);
        assertEquals(400, r.statusCode(), r.body());
        try (EnvoyClient c = artist()) {
            Project p = new Project(root).addFiles(root, "/bad-project", "spheres.json");
            p.addJobs(new Job("x", "maya", "2020", "render", "bad-project/spheres.json"));
            InvalidRequestError e = assertThrows(InvalidRequestError.class, () -> c.submitProject(p));
            assertTrue(e.errors().get(0).contains("unknown product 'maya'"), e.errors().toString());
        }
        assertFalse(Files.exists(data.resolve("projects/bad-project")), "no refused request stored anything");

        // a 2 GB upload declared, cut off after 4 MB: only a staged part remains, never a stored file
        long declared = 2L * 1024 * 1024 * 1024;
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT /transfer/cut-project/huge.bin HTTP/1.1\r\nHost: x\r\nX-Envoy-Session: " + token
                    + "\r\nX-Transfer-Total: " + declared + "\r\nContent-Length: " + declared + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] mb = new byte[1 << 20];
            for (int i = 0; i < 4; i++) {
                out.write(mb);
            }
            out.flush();
        }
        Thread.sleep(500);
        r = raw("GET", "/transfer/cut-project/huge.bin", null, token);
        JsonObject staged = JsonParser.parseString(r.body()).getAsJsonObject();
        assertFalse(staged.get("Stored").getAsBoolean(), r.body());
        assertTrue(staged.get("BytesStaged").getAsLong() <= 4 << 20, r.body());
        assertFalse(Files.exists(data.resolve("projects/cut-project/huge.bin")));
        try (EnvoyClient c = artist()) {
            ProjectStatus st = c.getProjectStatus("cut-project");
            assertEquals("Interrupted", st.details().get("/cut-project/huge.bin").state(), st.toString());
        }
        // a body shorter than the declared size is refused before anything is staged
        HttpRequest shortBody = HttpRequest.newBuilder(url.resolve("/transfer/short-project/huge.bin"))
                .header("X-Envoy-Session", token).header("X-Transfer-Total", String.valueOf(declared))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[4096])).build();
        r = HttpClient.newHttpClient().send(shortBody, HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("Content-Length 4096"), r.body());
        assertFalse(Files.exists(data.resolve("staging/short-project/huge.bin.part")));
        assertFalse(Files.exists(data.resolve("projects/short-project/huge.bin")));
    }

    @Test
    void cutOffTransferResumesFromTheStagedBytes() throws Exception {
        String token = token();
        byte[] content = new byte[3 << 20];
        new java.util.Random(3).nextBytes(content);
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT /transfer/resume-project/data.bin HTTP/1.1\r\nHost: x\r\nX-Envoy-Session: " + token
                    + "\r\nX-Transfer-Total: " + content.length + "\r\nContent-Length: " + content.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(content, 0, 1 << 20);
            out.flush();
        }
        Thread.sleep(500);
        long staged = JsonParser.parseString(raw("GET", "/transfer/resume-project/data.bin", null, token).body())
                .getAsJsonObject().get("BytesStaged").getAsLong();
        assertTrue(staged > 0 && staged <= 1 << 20, "staged " + staged);
        // an offset that does not match the staged bytes is refused
        HttpRequest put = HttpRequest.newBuilder(url.resolve("/transfer/resume-project/data.bin"))
                .header("X-Envoy-Session", token).header("X-Transfer-Total", String.valueOf(content.length))
                .header("X-Transfer-Offset", String.valueOf(staged + 1)).expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content, (int) staged + 1, content.length - (int) staged - 1)).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
        assertEquals(409, r.statusCode(), r.body());
        // the Java client asks where to resume and streams only the rest
        Path local = work.resolve("resume-data.bin");
        Files.write(local, content);
        try (EnvoyClient c = artist()) {
            assertEquals(content.length - staged, c.transferFile(local, "resume-project/data.bin"));
            assertEquals("Completed", c.getProjectStatus("resume-project").details().get("/resume-project/data.bin").state());
            assertEquals(content.length, c.getProjectStatus("resume-project").details().get("/resume-project/data.bin").bytesDone());
            // sent again: the stored file is replaced as a whole
            assertEquals(content.length, c.transferFile(local, "resume-project/data.bin"));
        }
        assertArrayEquals(content, Files.readAllBytes(data.resolve("projects/resume-project/data.bin")));
    }

    @Test
    void javaClientStreamsAProjectOverHttp() throws Exception {
        Path root = spheresProject("http-project");
        Files.createDirectories(root.resolve("textures"));
        byte[] texture = new byte[(5 << 20) + 123];
        new java.util.Random(11).nextBytes(texture);
        Files.write(root.resolve("textures/wood.bin"), texture);
        try (EnvoyClient c = artist()) {
            assertEquals("http-project", c.transferProjectFiles(new Project(root).addAllFiles()));
            ProjectStatus s = c.getProjectStatus("http-project");
            assertEquals(texture.length + Files.size(root.resolve("spheres.json")), s.bytesDone(), s.toString());
            assertEquals("Uploaded", s.state(), "every file stored: " + s);
            assertThrows(InvalidRequestError.class, () -> c.transferFile(root.resolve("spheres.json"), "http-project/../escape.json"));
            assertThrows(InvalidRequestError.class, () -> c.transferFile(root.resolve("spheres.json"), "no-folder.json"));
        }
        assertArrayEquals(texture, Files.readAllBytes(data.resolve("projects/http-project/textures/wood.bin")));
        assertEquals(-1L, Files.mismatch(root.resolve("spheres.json"), data.resolve("projects/http-project/spheres.json")));
        assertFalse(Files.exists(data.resolve("projects/escape.json")));
        try (EnvoyClient c = new EnvoyClient(url)) {
            c.authenticate(BROKE, brokeKey);
            assertThrows(InsufficientCreditsError.class, () -> c.transferProjectFiles(new Project(root).addAllFiles()));
        }
    }

    @Test
    void pythonUrllibClientSpeaksThePublicProtocol() throws Exception {
        Path root = spheresProject("python-project");
        Path script = Path.of(System.getProperty("tessera.repo.root"), "tests/org.tessera.cloud.tests/scripts/envoy_urllib.py");
        Process p = new ProcessBuilder("python3", script.toString(), url.toString(), ARTIST, artistKey, root.toString())
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("PYTHON CLIENT OK"), out);
        assertTrue(Files.isRegularFile(root.resolve("gm_results/python_job/frame_0001.png")), out);
    }

    @Test
    void cliSubmitWatchesAndCloudVerbsAnswer() throws Exception {
        Path root = spheresProject("cli-project");
        Path keyFile = keyFile();
        String[] login = {"--url", url.toString(), "--email", ARTIST, "--access-key-file", keyFile.toString()};
        List<String> args = new ArrayList<>(List.of("submit", root.toString(), "--app", "raytracer", "--frames", "1 3",
                "--width", "48", "--height", "32", "--watch"));
        args.addAll(List.of(login));
        TesseraProcess.Result r = TesseraProcess.run(work, Duration.ofSeconds(150), args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("upload  [##############################] 100%"), r.output());
        assertTrue(r.output().contains("render  [##############################] 100% 3/3 frames"), r.output());
        assertTrue(r.output().contains("Downloaded 3 files"), r.output());
        List<String> status = new ArrayList<>(List.of("cloud", "status", "cli-project"));
        status.addAll(List.of(login));
        r = TesseraProcess.run(work, Duration.ofSeconds(90), status.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("cli-project: Completed"), r.output());
    }
}
