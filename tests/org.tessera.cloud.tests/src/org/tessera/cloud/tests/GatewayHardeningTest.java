// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.cloud.gateway.UserLedger;
import org.tessera.testing.TesseraProcess;

/**
 * What probing the gateway as an attacker and as a careless user found (issue 17), each against a
 * real {@code tessera gateway serve} process with two users.
 */
class GatewayHardeningTest {
    static final String ALICE = "alice@example.com";
    static final String BOB = "bob@example.com";

    @TempDir
    static Path work;
    static Path data;
    static TesseraProcess gateway;
    static URI url;
    static String aliceKey;
    static String bobKey;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        data = work.resolve("gateway-data");
        UserLedger ledger = new UserLedger(data);
        aliceKey = ledger.addUser(ALICE, 1000);
        bobKey = ledger.addUser(BOB, 1000);
        gateway = startGateway(data, "gw");
        url = listening(gateway);
        alice = token(ALICE, aliceKey);
        bob = token(BOB, bobKey);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    static TesseraProcess startGateway(Path dataFolder, String name, String... more) {
        List<String> args = new ArrayList<>(List.of("gateway", "serve", "--port", "0", "--data", dataFolder.toString()));
        args.addAll(List.of(more));
        return TesseraProcess.start(work, name, args.toArray(String[]::new));
    }

    static URI listening(TesseraProcess p) {
        String line = p.awaitLine(l -> l.startsWith("Envoy gateway listening on http://127.0.0.1:"), Duration.ofSeconds(90));
        return URI.create(line.substring(line.indexOf("http://")).trim());
    }

    static HttpResponse<String> call(URI base, String method, String path, String body, String session) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("X-Envoy-Session", session);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> call(String method, String path, String body, String session) throws Exception {
        return call(url, method, path, body, session);
    }

    static String token(String email, String key) throws Exception {
        return token(url, email, key);
    }

    static String token(URI base, String email, String key) throws Exception {
        HttpResponse<String> r = call(base, "POST", "/auth", "{\"Username\":\"" + email + "\",\"AccessKey\":\"" + key + "\"}", null);
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject().get("Token").getAsString();
    }

    static Path project(String name) throws IOException {
        Path root = Files.createDirectories(work.resolve("projects").resolve(name));
        Path scenes = Path.of(System.getProperty("tessera.repo.root"), "bundles/org.tessera.render.raytracer/scenes");
        Files.copy(scenes.resolve("spheres.json"), root.resolve("spheres.json"));
        return root;
    }

    static JsonObject job(String id, String name, String project, String frames, String extraParams) {
        return JsonParser.parseString("{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"app\":\"raytracer\","
                + "\"operation\":\"render\",\"path\":\"" + project + "/spheres.json\",\"params\":{\"frames\":\"" + frames
                + "\",\"output_width\":32,\"output_height\":24" + extraParams + "},\"dependencies\":[]}").getAsJsonObject();
    }

    /** A submit body for {@code root} (its folder name is the project) with these jobs and watch files. */
    static JsonObject submit(Path root, List<JsonObject> jobs, Map<String, Path> watch) {
        String name = root.getFileName().toString();
        JsonObject request = new JsonObject();
        request.addProperty("name", name + " 1");
        request.add("params", new JsonObject());
        JsonArray list = new JsonArray();
        jobs.forEach(list::add);
        request.add("jobs", list);
        JsonObject files = new JsonObject();
        files.addProperty("localRoot", root.toString());
        files.addProperty("remoteRoot", "/" + name);
        JsonArray names = new JsonArray();
        names.add("spheres.json");
        files.add("files", names);
        JsonObject w = new JsonObject();
        watch.forEach((k, v) -> w.addProperty(k, v.toString()));
        JsonObject body = new JsonObject();
        body.add("project_request", request);
        body.add("project_files", files);
        body.add("watch_files", w);
        return body;
    }

    static JsonObject awaitFinished(String project, String session) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonObject s = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = call("GET", "/project-status/" + project.replace(" ", "%20"), null, session);
            assertEquals(200, r.statusCode(), r.body());
            s = JsonParser.parseString(r.body()).getAsJsonObject();
            if (List.of("Completed", "Failed", "Stopped", "Suspended").contains(s.get("State").getAsString())) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(project + " did not finish: " + s + "\n" + gateway.output());
    }

    @Test
    void twoJobsWritingTheSameFileNamesIntoOneWatchFolderAreBothKept() throws Exception {
        Path root = project("same-names");
        Path watch = work.resolve("watch-same");
        JsonObject b = job("b", "b", "same-names", "1 2", "");
        b.getAsJsonObject("params").addProperty("output_width", 40);
        JsonObject body = submit(root, List.of(job("a", "a", "same-names", "1 2", ""), b),
                Map.of("/same-names/render_results/.+", watch));
        HttpResponse<String> r = call("POST", "/project-submit", body.toString(), alice);
        assertEquals(201, r.statusCode(), r.body());
        JsonObject s = awaitFinished("same-names", alice);
        assertEquals("Completed", s.get("State").getAsString(), s.toString());
        for (String job : List.of("a", "b")) {
            for (String f : List.of("frame_0001.png", "frame_0002.png")) {
                assertTrue(Files.isRegularFile(watch.resolve(job).resolve(f)), job + "/" + f + " delivered: " + s);
            }
        }
        assertNotEquals(-1L, Files.mismatch(watch.resolve("a/frame_0001.png"), watch.resolve("b/frame_0001.png")),
                "b's 40-pixel frames did not replace a's 32-pixel ones");
    }

    @Test
    void withoutWatchFilesResultsGoToTheResultsFolderAndTheSubmissionIsNamed() throws Exception {
        Path root = project("no-watch");
        JsonObject body = submit(root, List.of(job("a", "a", "no-watch", "1", "")), Map.of());
        body.remove("watch_files");
        JsonObject params = body.getAsJsonObject("project_request").getAsJsonObject("params");
        params.addProperty("submission_name", "submission 1");
        params.addProperty("output_folder_name", "my_results");
        HttpResponse<String> r = call("POST", "/project-submit", body.toString(), alice);
        assertEquals(201, r.statusCode(), r.body());
        JsonObject s = awaitFinished("no-watch", alice);
        assertEquals("Completed", s.get("State").getAsString(), s.toString());
        assertEquals("submission 1", s.get("Submission").getAsString());
        assertTrue(Files.isRegularFile(root.resolve("my_results/a/frame_0001.png")), "delivered into the results folder");
        assertFalse(Files.exists(root.resolve("gm_results")));
        // an empty watch_files object (the public client's skip_auto_download) downloads nothing
        Path other = project("skip-download");
        r = call("POST", "/project-submit", submit(other, List.of(job("a", "a", "skip-download", "1", "")), Map.of()).toString(), alice);
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("Completed", awaitFinished("skip-download", alice).get("State").getAsString());
        try (var files = Files.list(other)) {
            assertEquals(List.of(other.resolve("spheres.json")), files.toList());
        }
    }

    @Test
    void jobsWhoseNamesMapToOneFolderAreRefused() throws Exception {
        Path root = project("shot-names");
        JsonObject body = submit(root, List.of(job("1", "shot a", "shot-names", "1", ""), job("2", "shot_a", "shot-names", "1", "")),
                Map.of());
        HttpResponse<String> r = call("POST", "/project-submit", body.toString(), alice);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("jobs 'shot a' and 'shot_a' would write into the same output folder"), r.body());
        assertFalse(Files.exists(data.resolve("projects/shot-names")), "nothing stored");
    }

    @Test
    void aWatchTargetThatIsAFileIsNeverReportedAsCompleted() throws Exception {
        Path root = project("file-target");
        Path file = work.resolve("not-a-folder.txt");
        Files.writeString(file, "x");
        JsonObject body = submit(root, List.of(job("a", "a", "file-target", "1", "")), Map.of("/file-target/.+", file));
        HttpResponse<String> r = call("POST", "/project-submit", body.toString(), alice);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("is not a folder"), r.body());

        // the job's folder inside the watch folder is a file: found only when the first frame arrives
        Path watch = Files.createDirectories(work.resolve("watch-blocked"));
        Files.writeString(watch.resolve("a"), "in the way");
        body = submit(root, List.of(job("a", "a", "file-target", "1", "")), Map.of("/file-target/.+", watch));
        r = call("POST", "/project-submit", body.toString(), alice);
        assertEquals(201, r.statusCode(), r.body());
        JsonObject s = awaitFinished("file-target", alice);
        assertEquals("Failed", s.get("State").getAsString(), s.toString());
        assertFalse(s.get("Message").getAsString().contains("All jobs completed"), s.toString());
        assertTrue(s.get("Message").getAsString().contains("could not deliver /file-target/render_results/"), s.toString());
        assertTrue(s.getAsJsonArray("DeliveryFailures").size() >= 1, s.toString());
        JsonObject job = s.getAsJsonArray("Jobs").get(0).getAsJsonObject();
        assertEquals("Failed", job.get("State").getAsString(), job.toString());
        assertTrue(job.get("Message").getAsString().contains("were not delivered"), job.toString());
    }

    @Test
    void concurrentSubmissionsOfOneProjectGetExactlyOne201() throws Exception {
        for (int round = 0; round < 6; round++) {
            String name = "race-" + round;
            Path root = project(name);
            String body = submit(root, List.of(job("a", "a", name, "1 30", "")), Map.of()).toString();
            HttpClient client = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(client.sendAsync(HttpRequest.newBuilder(url.resolve("/project-submit")).header("X-Envoy-Session", alice)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> codes = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : all) {
                HttpResponse<String> r = f.get();
                codes.add(r.statusCode());
                assertTrue(r.statusCode() == 201 || r.statusCode() == 409 || r.statusCode() == 400, r.body());
            }
            assertEquals(1, codes.stream().filter(c -> c == 201).count(), "round " + round + ": " + codes);
            awaitFinished(name, alice);
        }
    }

    @Test
    void withoutASessionSeveralUsersAreRefused() throws Exception {
        // alice logged in from this address last; a request without the header must not act as her
        token(ALICE, aliceKey);
        HttpResponse<String> r = call("GET", "/credits-info", null, null);
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.body().contains("several users"), r.body());
        assertEquals(200, call("GET", "/credits-info", null, alice).statusCode());
    }

    @Test
    void secretsFilesAreOwnerOnly() throws Exception {
        Path root = project("perm-project");
        HttpResponse<String> r = call("POST", "/upload", "{\"upload\":[{\"localRoot\":\"" + root
                + "\",\"remoteRoot\":\"/perm-project\",\"files\":[\"spheres.json\"]}]}", alice);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("users.json"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("owners.json"))));
    }

    /** POV-Ray's own parse error reaches the job's status whole: line, reason and the word that ended it. */
    @Test
    void aBrokenPovraySceneFailsWithPovraysWholeMessage() throws Exception {
        Path root = project("broken-pov");
        Files.writeString(root.resolve("broken.pov"), "// a vector without its '>'\n"
                + "camera { location <0, 1, -3 angle 60 look_at <0, 0, 0> }\n"
                + "sphere { <0, 0, 0>, 1 pigment { rgb 1 } }\n");
        JsonObject j = job("a", "a", "broken-pov", "1", "");
        j.addProperty("app", "povray");
        j.addProperty("path", "broken-pov/broken.pov");
        JsonObject body = submit(root, List.of(j), Map.of());
        body.getAsJsonObject("project_files").getAsJsonArray("files").add("broken.pov");
        HttpResponse<String> r = call("POST", "/project-submit", body.toString(), alice);
        assertEquals(201, r.statusCode(), r.body());
        JsonObject s = awaitFinished("broken-pov", alice);
        assertEquals("Failed", s.get("State").getAsString(), s.toString());
        String message = s.getAsJsonArray("Jobs").get(0).getAsJsonObject().get("Message").getAsString();
        assertTrue(message.contains("line 2: Parse Error: Expected '>', angle found instead"), message);
        assertFalse(message.contains("\\n"), "no escaped line breaks: " + message);
    }

    @Test
    void aHugeImageEndsTheJobFailedWithAMessage() throws Exception {
        Path root = project("huge-project");
        JsonObject j = job("a", "a", "huge-project", "1", "");
        j.getAsJsonObject("params").addProperty("output_width", 20000);
        j.getAsJsonObject("params").addProperty("output_height", 20000);
        HttpResponse<String> r = call("POST", "/project-submit", submit(root, List.of(j), Map.of()).toString(), alice);
        assertEquals(201, r.statusCode(), r.body());
        JsonObject s = awaitFinished("huge-project", alice);
        assertEquals("Failed", s.get("State").getAsString(), s.toString());
        JsonObject job = s.getAsJsonArray("Jobs").get(0).getAsJsonObject();
        assertEquals("Failed", job.get("State").getAsString(), job.toString());
        assertTrue(job.get("Message").getAsString().contains("20000x20000"), job.toString());
        // the project can be submitted again (it is not stuck Rendering)
        j.getAsJsonObject("params").addProperty("output_width", 32);
        j.getAsJsonObject("params").addProperty("output_height", 24);
        JsonObject again = submit(root, List.of(j), Map.of());
        again.getAsJsonObject("project_request").getAsJsonArray("jobs").get(0).getAsJsonObject().getAsJsonObject("params")
                .addProperty("output_dir_name", "second");
        r = call("POST", "/project-submit", again.toString(), alice);
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("Completed", awaitFinished("huge-project", alice).get("State").getAsString());
    }

    @Test
    void badInputIsA4xxWithAMessage() throws Exception {
        Path root = project("bad-input");
        List<String> variants = List.of(",\"output_dir_name\":{}", ",\"output_dir_name\":null");
        for (String v : variants) {
            HttpResponse<String> r = call("POST", "/project-submit",
                    submit(root, List.of(job("a", "a", "bad-input", "1", v)), Map.of()).toString(), alice);
            assertEquals(400, r.statusCode(), v + ": " + r.body());
            assertTrue(r.body().contains("output_dir_name must be a folder name"), r.body());
        }
        JsonObject deps = job("a", "a", "bad-input", "1", "");
        deps.add("dependencies", JsonParser.parseString("[{}]"));
        HttpResponse<String> r = call("POST", "/project-submit", submit(root, List.of(deps), Map.of()).toString(), alice);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("dependencies must be a list of job ids"), r.body());
        for (String remote : List.of("/..", "/")) {
            JsonObject body = submit(root, List.of(job("a", "a", "bad-input", "1", "")), Map.of());
            body.addProperty("skip_upload", true);
            body.getAsJsonObject("project_files").addProperty("remoteRoot", remote);
            r = call("POST", "/project-submit", body.toString(), alice);
            assertEquals(400, r.statusCode(), remote + ": " + r.body());
            assertTrue(r.body().contains("must name a project folder"), r.body());
        }
        // a chunked body longer than X-Transfer-Total
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT /transfer/bad-input/long.bin HTTP/1.1\r\nHost: x\r\nX-Envoy-Session: " + alice
                    + "\r\nX-Transfer-Total: 10\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "14\r\n01234567890123456789\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("longer than the 10 bytes announced"), answer);
        }
        assertFalse(Files.exists(data.resolve("projects/bad-input/long.bin")));
        assertFalse(Files.exists(data.resolve("staging/bad-input/long.bin.part")));
    }

    @Test
    void namesWithSpacesAndPlusSigns() throws Exception {
        Path root = Files.createDirectories(work.resolve("spaced"));
        Files.writeString(root.resolve("a+b.txt"), "plus");
        HttpResponse<String> r = call("POST", "/upload", "{\"upload\":[{\"localRoot\":\"" + root
                + "\",\"remoteRoot\":\"/my shot\",\"files\":[\"a+b.txt\"]}]}", bob);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Uploaded", awaitUploaded("my shot").get("State").getAsString());
        r = call("GET", "/project-status/my%20shot", null, bob);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(Files.isRegularFile(data.resolve("projects/my shot/a+b.txt")));

        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/transfer/my%20shot/c+d.txt"))
                .header("X-Envoy-Session", bob).header("X-Transfer-Total", "4")
                .PUT(HttpRequest.BodyPublishers.ofString("plus")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        assertTrue(Files.isRegularFile(data.resolve("projects/my shot/c+d.txt")), "stored as c+d.txt");
        assertFalse(Files.exists(data.resolve("projects/my shot/c d.txt")));

        Path keyFile = work.resolve("bob.key");
        Files.writeString(keyFile, bobKey);
        TesseraProcess.Result status = TesseraProcess.run(work, Duration.ofSeconds(90), "cloud", "status", "my shot",
                "--url", url.toString(), "--email", BOB, "--access-key-file", keyFile.toString());
        assertEquals(0, status.exitCode(), status.output());
        assertTrue(status.output().contains("my shot: Uploaded"), status.output());
    }

    static JsonObject awaitUploaded(String project) throws Exception {
        for (int i = 0; i < 200; i++) {
            JsonObject s = JsonParser.parseString(call("GET", "/project-status/" + project.replace(" ", "%20"), null, bob).body())
                    .getAsJsonObject();
            if (!s.get("State").getAsString().equals("Uploading")) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not uploaded");
    }

    @Test
    void ownershipSurvivesARestartAndReadsNeverClaim() throws Exception {
        Path own = work.resolve("own-data");
        UserLedger ledger = new UserLedger(own);
        String ak = ledger.addUser(ALICE, 100);
        String bk = ledger.addUser(BOB, 100);
        Path root = project("owned");
        TesseraProcess first = startGateway(own, "own1");
        URI u1 = listening(first);
        try {
            String a = token(u1, ALICE, ak);
            HttpResponse<String> r = call(u1, "POST", "/upload", "{\"upload\":[{\"localRoot\":\"" + root
                    + "\",\"remoteRoot\":\"/owned\",\"files\":[\"spheres.json\"]}]}", a);
            assertEquals(200, r.statusCode(), r.body());
            // bob reads a free name: that claims nothing
            String b = token(u1, BOB, bk);
            r = call(u1, "GET", "/transfer/free-name/x.bin", null, b);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(0, JsonParser.parseString(r.body()).getAsJsonObject().get("BytesStaged").getAsLong());
            Thread.sleep(500);
        } finally {
            first.close();
        }
        TesseraProcess second = startGateway(own, "own2");
        URI u2 = listening(second);
        try {
            String a = token(u2, ALICE, ak);
            String b = token(u2, BOB, bk);
            HttpResponse<String> r = call(u2, "GET", "/project-status/owned", null, a);
            assertEquals(200, r.statusCode(), "the owner still sees her project after the restart: " + r.body());
            assertEquals(404, call(u2, "GET", "/project-status/owned", null, b).statusCode());
            JsonObject steal = submit(root, List.of(job("x", "x", "owned", "1", "")), Map.of());
            steal.addProperty("skip_upload", true);
            r = call(u2, "POST", "/project-submit", steal.toString(), b);
            assertEquals(403, r.statusCode(), "another user cannot submit her uploaded project: " + r.body());
            assertTrue(r.body().contains("belongs to another user"), r.body());
            // the free name bob only read is alice's to take
            HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(u2.resolve("/transfer/free-name/x.bin"))
                    .header("X-Envoy-Session", a).header("X-Transfer-Total", "2")
                    .PUT(HttpRequest.BodyPublishers.ofString("hi")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
        } finally {
            second.close();
        }
    }

    @Test
    void theTokenComesFromTheEnvironmentOrAPrivateFile() throws Exception {
        Path tokenData = work.resolve("token-data");
        new UserLedger(tokenData).addUser(ALICE, 10);
        Path tokenFile = work.resolve("gateway.token");
        Files.writeString(tokenFile, "file-token-123\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
        TesseraProcess.Result refused = TesseraProcess.run(work, Duration.ofSeconds(90), "gateway", "serve", "--port", "0",
                "--data", tokenData.toString(), "--token-file", tokenFile.toString());
        assertNotEquals(0, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("chmod 600"), refused.output());

        TesseraProcess p = TesseraProcess.start(TesseraProcess.productHome(), List.of("-Xmx512m"),
                Map.of("TESSERA_GATEWAY_TOKEN", "env-token-456"), work, "token-gw",
                "gateway", "serve", "--port", "0", "--data", tokenData.toString());
        try {
            URI u = listening(p);
            String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"));
            assertFalse(cmdline.contains("env-token-456"), "the token is not on the command line");
            assertEquals(401, call(u, "GET", "/products", null, null).statusCode());
            HttpResponse<String> ok = HttpClient.newHttpClient().send(HttpRequest.newBuilder(u.resolve("/products"))
                    .header("Authorization", "Bearer env-token-456").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
        } finally {
            p.close();
        }
    }
}
