// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.SceneArchive;
import org.tessera.render.core.SceneException;
import org.tessera.testing.TesseraProcess;

/**
 * What a node receives and unpacks (issue 17): archives with limits on unpacked size and entry count,
 * names checked, and a master that never sends the job's output folder or what {@code .tesseraignore}
 * lists.
 */
class SceneArchiveTest {

    @TempDir
    Path dir;

    private interface Entries {
        void write(ZipOutputStream zip) throws Exception;
    }

    private static byte[] zip(Entries entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            entries.write(zip);
        }
        return bytes.toByteArray();
    }

    /** A small archive whose one entry unpacks to more than {@link SceneArchive#MAX_BYTES}. */
    static byte[] bomb() throws Exception {
        return zip(z -> {
            z.setLevel(9);
            z.putNextEntry(new ZipEntry("scene.pov"));
            z.write("sphere { 0, 1 pigment { rgb 1 } }\n".getBytes(StandardCharsets.US_ASCII));
            z.putNextEntry(new ZipEntry("huge.bin"));
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written <= SceneArchive.MAX_BYTES; written += zeros.length) {
                z.write(zeros);
            }
        });
    }

    @Test
    void anArchiveThatUnpacksTooLargeIsRefusedAtTheLimit() throws Exception {
        byte[] bomb = bomb();
        assertTrue(bomb.length < 2_000_000, "the archive itself is small: " + bomb.length);
        Path target = dir.resolve("bomb");
        SceneException e = assertThrows(SceneException.class, () -> SceneArchive.extract(bomb, target));
        assertTrue(e.getMessage().contains("unpacks to more than 256 MB"), e.getMessage());
        assertTrue(Files.size(target.resolve("huge.bin")) <= SceneArchive.MAX_BYTES, "writing stops at the limit");
    }

    @Test
    void tooManyEntriesAndControlCharactersInNamesAreRefused() throws Exception {
        byte[] many = zip(z -> {
            for (int i = 0; i <= SceneArchive.MAX_ENTRIES; i++) {
                z.putNextEntry(new ZipEntry("f" + i));
            }
        });
        SceneException e = assertThrows(SceneException.class, () -> SceneArchive.extract(many, dir.resolve("many")));
        assertTrue(e.getMessage().contains("more than 20000 entries"), e.getMessage());
        byte[] nul = zip(z -> z.putNextEntry(new ZipEntry("scene.pov\u0000.png")));
        SceneException n = assertThrows(SceneException.class, () -> SceneArchive.extract(nul, dir.resolve("nul")));
        assertTrue(n.getMessage().contains("scene.pov\\u0000.png") && n.getMessage().contains("control characters"),
                n.getMessage());
        byte[] escape = zip(z -> z.putNextEntry(new ZipEntry("../../outside.txt")));
        SceneException o = assertThrows(SceneException.class, () -> SceneArchive.extract(escape, dir.resolve("esc")));
        assertTrue(o.getMessage().contains("outside the scene folder"), o.getMessage());
        assertTrue(Files.notExists(dir.resolve("outside.txt")));
    }

    @Test
    void theOutputFolderAndIgnoredFilesAreNotSent() throws Exception {
        Path scene = Files.createDirectories(dir.resolve("shot"));
        Files.writeString(scene.resolve("scene.pov"), "sphere { 0, 1 pigment { rgb 1 } }\n");
        Files.createDirectories(scene.resolve("tex"));
        Files.write(scene.resolve("tex/wood.png"), new byte[] {1, 2, 3});
        Files.createDirectories(scene.resolve("frames"));
        Files.write(scene.resolve("frames/shot_0001.png"), new byte[1000]);
        Files.writeString(scene.resolve("envoy.key"), "SECRET");
        Files.createDirectories(scene.resolve("cache/deep"));
        Files.writeString(scene.resolve("cache/deep/photons.ph"), "x");
        Files.writeString(scene.resolve("notes.txt"), "x");
        Files.writeString(scene.resolve(".tesseraignore"), """
                # what nodes never need
                *.key
                cache/
                /notes.txt
                """);
        RenderScene s = RenderScene.ofFile(scene.resolve("scene.pov")).excluding(scene.resolve("frames"));
        List<String> sent = SceneArchive.packed(s, s.excluded()).stream()
                .map(p -> scene.relativize(p).toString()).toList();
        assertEquals(List.of("scene.pov", "tex/wood.png"), sent);
        SceneArchive a = SceneArchive.of(s, s.excluded());
        assertEquals(2, a.files());
        assertEquals(3 + Files.size(scene.resolve("scene.pov")), a.bytes());
        Path unpacked = dir.resolve("unpacked");
        SceneArchive.extract(a.zip(), unpacked);
        assertTrue(Files.exists(unpacked.resolve("tex/wood.png")));
        assertTrue(Files.notExists(unpacked.resolve("envoy.key")));
        // the output folder outside the scene folder, or the scene folder itself, excludes nothing
        assertEquals(s.excluded(), s.excluding(dir).excluding(scene).excluded());
    }

    /** A real node answers a zip bomb with 422 and a clear message, and keeps serving. */
    @Test
    void aNodeRefusesAZipBombAndKeepsServing() throws Exception {
        int port = TesseraProcess.freePort();
        try (TesseraProcess node = RenderFixtures.startNode(dir, "bomb-node", port)) {
            byte[] bomb = bomb();
            var put = RenderFixtures.putScene(port, bomb);
            assertEquals(201, put.statusCode(), put.body());
            var r = RenderFixtures.postRender(port, "{\"sha256\":\"" + SceneArchive.sha256(bomb) + "\",\"main\":\"scene.pov\","
                    + "\"engine\":\"raytracer\",\"frame\":1,\"x\":0,\"y\":0,\"width\":8,\"height\":8,\"imageWidth\":8,"
                    + "\"imageHeight\":8}");
            assertEquals(422, r.statusCode(), r.body());
            assertTrue(r.body().contains("unpacks to more than 256 MB"), r.body());
            var info = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/info"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, info.statusCode(), "the node keeps serving: " + info.body());
            try (var walk = Files.walk(dir.resolve("bomb-node"))) {
                assertTrue(walk.noneMatch(p -> p.getFileName().toString().equals("huge.bin")),
                        "the partly unpacked scene must be deleted");
            }
        }
    }

    /**
     * A cached scene that changed on the node's disk (by a job of old, or anything else) is noticed before
     * the next tile and unpacked again from the archive: the tile equals the one rendered before.
     */
    @Test
    void aNodeUnpacksAChangedCachedSceneAgain() throws Exception {
        int port = TesseraProcess.freePort();
        try (TesseraProcess node = RenderFixtures.startNode(dir, "verify-node", port)) {
            SceneArchive a = RenderFixtures.putSpheres(port, dir.resolve("verify-scenes"));
            String request = RenderFixtures.spheresRequest(a.sha256(), 32, 24);
            var first = RenderFixtures.postRender(port, request);
            assertEquals(200, first.statusCode(), first.body());
            Path cached;
            try (var walk = Files.walk(dir.resolve("verify-node"))) {
                cached = walk.filter(p -> p.getFileName().toString().equals("spheres.json")
                        && p.getParent().getFileName().toString().equals(a.sha256().substring(0, 16))).findFirst().orElseThrow();
            }
            cached.getParent().toFile().setWritable(true);
            Files.writeString(cached, Files.readString(cached).replace("\"fov\": 60", "\"fov\": 20"));
            var second = RenderFixtures.postRender(port, request);
            assertEquals(200, second.statusCode(), second.body());
            assertEquals(first.body(), second.body(), "the tile must come from the scene as uploaded");
            assertTrue(node.output().contains("changed on disk; unpacking it again"), node.output());
            assertTrue(Files.readString(cached).contains("\"fov\": 60"), "the cache holds the original again");
        }
    }
}
