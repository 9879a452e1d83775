// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.cloud.core.EnvoyClient;
import org.tessera.cloud.core.Job;
import org.tessera.cloud.core.Project;
import org.tessera.cloud.core.WatchFile;
import org.tessera.testing.TesseraProcess;

/**
 * The public GridMarkets Envoy Python client 0.7.0 ({@code ../shared/thirdparty}, never copied into
 * Tessera) drives a real {@code tessera gateway serve} process through its whole workflow, and
 * Tessera's Java client sends the same bodies as it for the same project. When CI=true the client
 * (or Python's requests/future) must be there: the test fails rather than skips.
 */
class PublicEnvoyClientTest {
    static final String USER = "public@example.com";
    static final String SCENE = """
            camera { location <0, 1, -4> look_at <0, 0, 0> }
            light_source { <2, 4, -3> color rgb 1 }
            sphere { <0, 0, 0>, 1 pigment { color rgb <1, clock, 0.3> } }
            plane { y, -1 pigment { checker color rgb 1 color rgb 0.2 } }
            """;

    @TempDir
    static Path work;
    static GatewayProcess served;
    static TesseraProcess gateway;
    static URI url;
    static String key;
    static Path clientPath;

    static Path repo() {
        return Path.of(System.getProperty("tessera.repo.root"));
    }

    static Path script() {
        return repo().resolve("tests/org.tessera.cloud.tests/scripts/public_envoy_client.py");
    }

    /** The public client is there and runs with the system Python; on CI its absence is a failure. */
    static void requireClient() throws Exception {
        clientPath = repo().resolve("../shared/thirdparty/gm-envoy-client-python").normalize();
        String problem = null;
        if (!Files.isRegularFile(clientPath.resolve("gridmarkets/envoy_client.py"))) {
            problem = "the public Envoy client is not in " + clientPath;
        } else if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
            problem = "/usr/bin/python3 is missing";
        } else {
            Process p = python("-c", "import requests, future, gridmarkets").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                problem = "the public client does not import (install python3-requests python3-future): " + out;
            }
        }
        if (problem != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(problem);
            }
            assumeTrue(false, problem);
        }
    }

    static ProcessBuilder python(String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", clientPath.toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        return pb;
    }

    @BeforeAll
    static void startGateway() throws Exception {
        requireClient();
        // one user: the public client sends no session header, so the gateway must have exactly one
        served = GatewayProcess.start(work, USER);
        gateway = served.process();
        url = served.url();
        key = served.key();
    }

    @AfterAll
    static void stopGateway() {
        if (served != null) {
            served.close();
        }
    }

    static String runScript(Duration timeout, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(script().toString()));
        all.addAll(List.of(args));
        Process p = python(all.toArray(String[]::new)).start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null;) {
                    synchronized (out) {
                        out.append(l).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the public client did not finish in " + timeout + ":\n" + out + "\n" + gateway.output());
        }
        reader.join(5000);
        synchronized (out) {
            assertEquals(0, p.exitValue(), "the public client failed:\n" + out + "\ngateway:\n" + gateway.output());
            return out.toString();
        }
    }

    @Test
    void publicClientDrivesTheGatewayEndToEnd() throws Exception {
        String name = "public_shot";
        Path folder = Files.createDirectories(work.resolve("client").resolve(name));
        Files.writeString(folder.resolve("scene.pov"), SCENE);
        Files.copy(repo().resolve("bundles/org.tessera.render.raytracer/scenes/spheres.json"), folder.resolve("spheres.json"));
        Path results = work.resolve("client/results");
        String out = runScript(Duration.ofSeconds(400), "run", url.toString(), USER, key, folder.toString(), name,
                results.toString());
        String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no RESULT line:\n" + out));
        JsonObject r = JsonParser.parseString(line.substring("RESULT ".length())).getAsJsonObject();

        assertEquals("AuthenticationError", r.get("wrong_key").getAsString());
        assertEquals(USER, r.getAsJsonObject("user_info").get("email_address").getAsString());
        assertTrue(r.getAsJsonObject("credits").get("credits_available").getAsDouble() > 0, r.toString());
        // the renderer's own version: POV-Ray's from povray --version, never the bundle's 0.1.0
        String povray = r.getAsJsonArray("povray_versions").get(0).getAsString();
        assertTrue(povray.matches("3\\.7\\.\\d+(\\.\\d+)*"), povray);
        assertTrue(versionFromPovray().startsWith(povray), povray + " vs " + versionFromPovray());
        assertTrue(r.getAsJsonObject("types").has("raytracer"), r.toString());
        assertTrue(r.get("combinations").isJsonObject(), r.toString());
        assertTrue(r.getAsJsonArray("machines").size() >= 1, r.toString());

        JsonObject s1 = r.getAsJsonObject("status1");
        assertEquals("Completed", s1.get("State").getAsString(), s1.toString());
        JsonObject s2 = r.getAsJsonObject("status2");
        assertEquals("Completed", s2.get("State").getAsString(), s2.toString());
        for (JsonElement j : s1.getAsJsonArray("Jobs")) {
            assertEquals("Completed", j.getAsJsonObject().get("State").getAsString(), j.toString());
        }
        // the second job waited for the first (the script checks every status it polled)
        assertTrue(r.get("polls").getAsInt() > 0, r.toString());
        assertEquals(List.of("first", "second"), s1.getAsJsonArray("Jobs").asList().stream()
                .map(j -> j.getAsJsonObject().get("Name").getAsString()).toList());
        assertTrue(s1.get("Message").getAsString().contains("All jobs completed"), s1.toString());

        // the frames are where the watch files say (one folder per job), equal to a direct render
        Path direct = work.resolve("direct");
        render(folder.resolve("scene.pov"), "1 2", direct.resolve("first/frame_####.png"));
        render(folder.resolve("spheres.json"), "3 4", direct.resolve("second/frame_####.png"));
        render(folder.resolve("scene.pov"), "1", direct.resolve("third/frame_####.png"));
        Map<Path, Path> expected = new HashMap<>();
        expected.put(results.resolve("first/frame_0001.png"), direct.resolve("first/frame_0001.png"));
        expected.put(results.resolve("first/frame_0002.png"), direct.resolve("first/frame_0002.png"));
        expected.put(results.resolve("second/frame_0003.png"), direct.resolve("second/frame_0003.png"));
        expected.put(results.resolve("second/frame_0004.png"), direct.resolve("second/frame_0004.png"));
        expected.put(work.resolve("client/results-again/third/frame_0001.png"), direct.resolve("third/frame_0001.png"));
        for (Map.Entry<Path, Path> e : expected.entrySet()) {
            assertTrue(Files.isRegularFile(e.getKey()), "downloaded " + e.getKey() + "\n" + out);
            assertArrayEquals(Files.readAllBytes(e.getValue()), Files.readAllBytes(e.getKey()), e.getKey().toString());
        }
        assertFalse(Files.readAllBytes(results.resolve("first/frame_0001.png")).length == 0);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(results.resolve("first/frame_0001.png")),
                Files.readAllBytes(results.resolve("first/frame_0002.png"))), "the clock moved between frames");
    }

    static String versionFromPovray() throws Exception {
        Process p = new ProcessBuilder("povray", "--version").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("POV-Ray\\s+v?(\\d+(?:\\.\\d+)*)").matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }

    static void render(Path scene, String frames, Path out) {
        TesseraProcess.Result r = TesseraProcess.run(work, Duration.ofSeconds(180), "render", scene.toString(),
                "--frames", frames, "--size", "64x48", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.output());
    }

    /** Tessera's Java client sends the public client's bodies for the same project (timestamps and ids aside). */
    @Test
    void javaClientSendsThePublicClientsBodies() throws Exception {
        Path folder = Files.createDirectories(work.resolve("compare-py/compare"));
        Files.writeString(folder.resolve("scene.pov"), SCENE);
        Files.createDirectories(folder.resolve("assets"));
        Files.writeString(folder.resolve("assets/tex.inc"), "// texture");
        Path results = work.resolve("compare-results");

        Path pythonFile = work.resolve("python-bodies.jsonl");
        runScript(Duration.ofSeconds(60), "bodies", folder.toString(), results.toString(), pythonFile.toString());
        Map<String, JsonObject> python = posts(pythonFile);

        // the Java client against the same recording server
        Path javaFile = work.resolve("java-bodies.jsonl");
        Process recorder = python(script().toString(), "record", javaFile.toString()).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(recorder.getInputStream(), StandardCharsets.UTF_8));
            String listening = r.readLine();
            assertTrue(listening != null && listening.startsWith("LISTENING "), String.valueOf(listening));
            URI recorderUrl = URI.create("http://127.0.0.1:" + listening.substring("LISTENING ".length()).trim());
            try (EnvoyClient c = new EnvoyClient(recorderUrl)) {
                c.authenticate("x@example.com", "k");
                Project p = new Project(folder, "compare", null, null);
                p.addFiles(folder, p.remoteRoot(), "scene.pov", "assets/tex.inc");
                Job a = new Job("first", "povray", "3.7", "render", "compare/scene.pov").setFrames("1 2");
                a.setParam("output_width", 64).setParam("output_height", 48);
                Job b = new Job("second shot", "povray", "3.7", "render", "compare/scene.pov").setFrames("3")
                        .setInstances(2);
                b.setParam("output_width", 64).setParam("output_height", 48);
                b.addDependencies(a);
                p.addJobs(a, b);
                p.addWatchFiles(new WatchFile(p.remoteOutputFolder() + "/.+", results));
                c.uploadProjectFiles(p);
                c.submitProject(p);
            }
        } finally {
            recorder.getOutputStream().close();
            if (!recorder.waitFor(10, TimeUnit.SECONDS)) {
                recorder.destroyForcibly();
            }
        }
        Map<String, JsonObject> java = posts(javaFile);
        assertEquals(python.get("/auth"), java.get("/auth"), "auth bodies");
        assertEquals(normalise(python.get("/upload")), normalise(java.get("/upload")), "upload bodies");
        JsonElement py = normalise(python.get("/project-submit"));
        JsonElement jv = normalise(java.get("/project-submit"));
        assertEquals(py, jv, "submit bodies\npython: " + py + "\njava:   " + jv);
        // and what they share is what the gateway reads: a folder NAME, both upload patterns
        JsonObject params = python.get("/project-submit").getAsJsonObject("project_request").getAsJsonArray("jobs").get(0)
                .getAsJsonObject().getAsJsonObject("params");
        assertFalse(params.get("output_dir_name").getAsString().contains("/"), params.toString());
        assertEquals(2, params.getAsJsonArray("output_upload").size(), params.toString());
    }

    /** The last body POSTed to each path. */
    static Map<String, JsonObject> posts(Path file) throws IOException {
        Map<String, JsonObject> byPath = new HashMap<>();
        for (String l : Files.readAllLines(file)) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            if (o.get("method").getAsString().equals("POST") && o.get("body").isJsonObject()) {
                byPath.put(o.get("path").getAsString(), o.getAsJsonObject("body"));
            }
        }
        assertTrue(byPath.containsKey("/upload") && byPath.containsKey("/project-submit"), byPath.keySet().toString());
        return byPath;
    }

    /** Timestamps and job ids replaced by placeholders (ids by their job's position). */
    static JsonElement normalise(JsonObject body) {
        String text = body.toString();
        JsonObject request = body.has("project_request") ? body.getAsJsonObject("project_request") : null;
        if (request != null) {
            JsonArray jobs = request.getAsJsonArray("jobs");
            for (int i = 0; i < jobs.size(); i++) {
                JsonObject j = jobs.get(i).getAsJsonObject();
                text = text.replace("\"" + j.get("id").getAsString() + "\"", "\"<job " + i + ">\"");
                String stamp = j.getAsJsonObject("params").get("output_dir_name").getAsString();
                text = text.replace(stamp, "<output folder>");
            }
            text = text.replaceAll("\\d{4}-[A-Z][a-z]{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [AP]M", "<stamp>");
        }
        return JsonParser.parseString(text);
    }
}
