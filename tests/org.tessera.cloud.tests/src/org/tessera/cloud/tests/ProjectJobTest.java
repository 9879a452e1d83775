// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.cloud.core.APIError;
import org.tessera.cloud.core.CreditsBudgetAction;
import org.tessera.cloud.core.EnvoyClient;
import org.tessera.cloud.core.EnvoyCredentialStore;
import org.tessera.cloud.core.InvalidRequestError;
import org.tessera.cloud.core.Job;
import org.tessera.cloud.core.Product;
import org.tessera.cloud.core.ProductResolver;
import org.tessera.cloud.core.Project;
import org.tessera.internal.cloud.core.EnvoyBodies;
import org.tessera.testing.TesseraProcess;

/** Rules of Project, Job, the product resolver, secure storage and the transport, without a server. */
class ProjectJobTest {

    @TempDir
    Path dir;

    private Project project() throws IOException {
        Path root = Files.createDirectories(dir.resolve("shot"));
        Files.writeString(root.resolve("scene.pov"), "sphere{}");
        Files.createDirectories(root.resolve("assets"));
        Files.writeString(root.resolve("assets/tex.png"), "png");
        Files.writeString(dir.resolve("secret.txt"), "outside");
        return new Project(root, null, "take 1", null);
    }

    @Test
    void addFilesRefusesEverythingOutsideTheRoot() throws IOException {
        Project p = project();
        assertThrows(InvalidRequestError.class, () -> p.addFiles(p.localRoot(), p.remoteRoot(), "../secret.txt"));
        assertThrows(InvalidRequestError.class, () -> p.addFiles(p.localRoot(), p.remoteRoot(), "assets/../../secret.txt"));
        assertThrows(InvalidRequestError.class,
                () -> p.addFiles(p.localRoot(), p.remoteRoot(), dir.resolve("secret.txt").toString()));
        assertThrows(InvalidRequestError.class, () -> p.addFiles(dir, p.remoteRoot()));
        assertThrows(InvalidRequestError.class, () -> p.addFiles(p.localRoot(), "/other"));
        Files.createSymbolicLink(p.localRoot().resolve("link.txt"), dir.resolve("secret.txt"));
        assertThrows(InvalidRequestError.class, () -> p.addFiles(p.localRoot(), p.remoteRoot(), "link.txt"));
        assertTrue(p.fileGroups().isEmpty(), "nothing added by refused calls");
        p.addAllFiles();
        assertEquals(List.of("assets/tex.png", "scene.pov"), p.fileGroups().get(0).files(),
                "walking the root skips the link that leaves it");
    }

    @Test
    void namesFollowTheProtocol() throws IOException {
        Project p = project();
        assertEquals("shot", p.name());
        assertEquals("/shot", p.remoteRoot());
        assertEquals("/shot/render_results/take_1", p.remoteOutputFolder());
        assertTrue(p.requestName().startsWith("shot "));
        assertEquals(p.localRoot().resolve("take_1"), p.watchFiles().get(0).downloadFolder(),
                "no watch files: results go to the results folder (by default the submission name)");
        assertTrue("/shot/render_results/take_1/a/frame_0001.png".matches(p.watchFiles().get(0).pattern()));
        assertFalse("/shot/render_results/take_12/x.png".matches(p.watchFiles().get(0).pattern()));
    }

    @Test
    void dependencyCyclesAreRefused() {
        Job a = new Job("a", "povray", "3.7", "render", "shot/scene.pov");
        Job b = new Job("b", "povray", "3.7", "render", "shot/scene.pov");
        Job c = new Job("c", "povray", "3.7", "render", "shot/scene.pov");
        b.addDependencies(a);
        c.addDependencies(b);
        InvalidRequestError e = assertThrows(InvalidRequestError.class, () -> a.addDependencies(c));
        assertTrue(e.getMessage().contains("a -> c -> b -> a"), e.getMessage());
        assertThrows(InvalidRequestError.class, () -> a.addDependencies(a));
        assertTrue(a.dependencies().isEmpty());
    }

    @Test
    void jobParametersAndBudget() {
        Job c4d = new Job("j", "c4d", "R19", "render", "p/s.c4d");
        c4d.setParam("output_width", 400);
        assertThrows(InvalidRequestError.class, () -> c4d.setParam("rop_nodepath", "/out"));
        assertThrows(InvalidRequestError.class, () -> new Job("j", "c4d", "R19", "paint", "p/s.c4d"));
        assertThrows(InvalidRequestError.class, () -> c4d.setCreditsBudget(0, CreditsBudgetAction.STOP));
        c4d.setCreditsBudget(50, CreditsBudgetAction.SUSPEND).setFrames("1 100 2,200");
        assertEquals(51, c4d.frames().count());
    }

    @Test
    void submitBodyHasThePublicShape() throws IOException {
        Project p = project();
        p.addAllFiles();
        Job a = new Job("a", "povray", "3.7", "render", "shot/scene.pov").setFrames("1 3");
        Job b = new Job("b", "povray", "3.7", "render", "shot/scene.pov").addDependencies(a);
        b.setCreditsBudget(5, CreditsBudgetAction.STOP);
        p.addJobs(a, b);
        JsonObject body = EnvoyBodies.submit(p, false);
        JsonObject request = body.getAsJsonObject("project_request");
        assertEquals(p.requestName(), request.get("name").getAsString());
        JsonObject jb = request.getAsJsonArray("jobs").get(1).getAsJsonObject();
        for (String key : List.of("id", "name", "app", "app_version", "operation", "path", "params", "dependencies")) {
            assertTrue(jb.has(key), key);
        }
        assertEquals(a.id(), jb.getAsJsonArray("dependencies").get(0).getAsString());
        assertEquals("take_1", jb.getAsJsonObject("params").get("output_dir_name").getAsString(), "a folder name");
        assertEquals(List.of("/shot/render_results/take_1/.+", "\\\\shot\\\\render_results\\\\take_1\\\\.+"),
                jb.getAsJsonObject("params").getAsJsonArray("output_upload").asList().stream().map(e -> e.getAsString()).toList());
        assertEquals("stop", jb.getAsJsonObject("params").getAsJsonObject("credits_budget").get("action").getAsString());
        JsonObject files = body.getAsJsonObject("project_files");
        assertEquals("/shot", files.get("remoteRoot").getAsString());
        assertEquals(2, files.getAsJsonArray("files").size());
        assertTrue(body.getAsJsonObject("watch_files").size() == 1);
        assertFalse(body.has("skip_upload"), "sent only when true, as the public client does");
        assertFalse(body.has("upload"), "the files mirror localRoot: the public body says it all");
    }

    @Test
    void resolverAnswersTypesVersionsAndCombinations() {
        ProductResolver r = new ProductResolver(List.of(
                new Product("hou", "17.5.173", List.of("hou_redshift:2.6.38", "htoa:4.0.1"), "1", "Houdini", false),
                new Product("hou", "17.5.229", List.of("hou_redshift:2.6.38", "hou_redshift:2.6.39"), "2", "Houdini", false)));
        assertEquals(List.of("17.5.173", "17.5.229"), r.getVersionsByType("hou"));
        assertEquals(List.of("hou"), List.copyOf(r.getAllTypes(false).keySet()));
        assertTrue(r.getAllTypes(true).get("htoa").isPlugin());
        assertEquals(List.of("hou_redshift", "htoa"), List.copyOf(r.getCompatibleCombinations("hou:17.5.173").keySet()));
        var both = r.getCompatibleCombinations("hou:17.5.173", "hou:17.5.229");
        assertEquals(List.of("hou_redshift"), List.copyOf(both.keySet()));
        assertEquals(List.of("2.6.38"), both.get("hou_redshift").versions());
    }

    @Test
    void credentialsLiveEncryptedInSecureStorage() throws IOException {
        Path file = dir.resolve("secure/storage");
        URI service = URI.create("http://127.0.0.1:8090");
        EnvoyCredentialStore store = EnvoyCredentialStore.open(file, "test-password".toCharArray());
        assertTrue(store.load(service).isEmpty());
        store.save(service, new EnvoyCredentialStore.Credentials("artist@example.com", "S3CRET-KEY-123"));
        EnvoyCredentialStore again = EnvoyCredentialStore.open(file, "test-password".toCharArray());
        EnvoyCredentialStore.Credentials c = again.load(service).orElseThrow();
        assertEquals("S3CRET-KEY-123", c.accessKey());
        assertFalse(c.toString().contains("S3CRET"), "toString hides the key");
        assertFalse(Files.readString(file).contains("S3CRET-KEY-123"), "key is stored encrypted");
        again.remove(service);
        assertTrue(again.load(service).isEmpty());
    }

    @Test
    void transportFailureIsAnApiErrorAfterRetries() {
        int port = TesseraProcess.freePort();
        try (EnvoyClient client = new EnvoyClient(URI.create("http://127.0.0.1:" + port), 2, Duration.ofMillis(100))) {
            long start = System.nanoTime();
            APIError e = assertThrows(APIError.class, client::getUserInfo);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("start Envoy and retry"), e.getMessage());
            assertEquals(0, e.status());
            assertTrue(ms >= 300, "two retries with 100 + 200 ms backoff, took " + ms + " ms");
            assertNotNull(e.getCause());
        }
    }
}
