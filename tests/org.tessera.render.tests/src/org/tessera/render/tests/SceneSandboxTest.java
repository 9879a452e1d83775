// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.SceneSandbox;

/**
 * The sandbox every engine's child process runs in (issue 17, "Scenes escape their folder"), tried with
 * real POV-Ray and hostile scenes of the kinds found on a farm: writing into another cached scene,
 * writing elsewhere under /tmp, including /etc/passwd, reading the parent's secrets from the environment.
 */
class SceneSandboxTest {

    @TempDir
    Path dir;

    private Path cache;
    private Path scene;
    private Path other;
    private Path scratch;

    private record Run(int exitCode, String output) {
    }

    @BeforeEach
    void folders() throws Exception {
        cache = Files.createDirectories(dir.resolve("cache"));
        scene = Files.createDirectories(cache.resolve("aaaa"));
        other = Files.createDirectories(cache.resolve("bbbb"));
        Files.writeString(other.resolve("spheres.json"), "{\"original\": true}");
        scratch = Files.createDirectories(dir.resolve("scratch"));
    }

    private static SceneSandbox sandbox() {
        SceneSandbox s = SceneSandbox.detect("required", System.getenv("PATH"));
        assertTrue(s.enforced());
        assertEquals(null, s.unavailableReason(), "the test machine must have a working bubblewrap (tessera test installs it)");
        return s;
    }

    private Run povray(String sdl) throws Exception {
        Files.writeString(scene.resolve("scene.pov"), sdl);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/povray", "-D", "+I" + scene.resolve("scene.pov"),
                "+O" + scratch.resolve("out.png"), "+W8", "+H8", "+L" + scene, "-V"));
        Process p = sandbox().builder(cmd, scene, scratch, List.of(), Map.of()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "povray did not finish");
        return new Run(p.exitValue(), out);
    }

    /**
     * The POV-Ray engine itself (what nodes run) renders under the sandbox: a scene that includes a system
     * file or writes into its own folder fails, and one that stays inside its folder renders.
     */
    @Test
    void thePovrayEngineRendersEveryTileInTheSandbox() throws Exception {
        var engine = RenderFixtures.engine("povray");
        var settings = org.tessera.render.core.RenderSettings.of(8, 8);
        var tile = new org.tessera.render.core.Tile(0, 0, 8, 8);
        Files.writeString(scene.resolve("passwd.pov"), "#include \"/etc/passwd\"\nsphere { 0, 1 pigment { rgb 1 } }\n");
        var read = assertThrows(org.tessera.render.core.RenderException.class, () -> engine.renderTile(
                org.tessera.render.core.RenderScene.ofFile(scene.resolve("passwd.pov")), 1, tile, settings));
        assertFalse(read.getMessage().contains("root:"), read.getMessage());
        Files.writeString(scene.resolve("drop.pov"), "#fopen F \"" + scene.resolve("dropped.txt") + "\" write\n"
                + "#write (F, \"x\")\n#fclose F\nsphere { 0, 1 pigment { rgb 1 } }\n");
        assertThrows(org.tessera.render.core.RenderException.class, () -> engine.renderTile(
                org.tessera.render.core.RenderScene.ofFile(scene.resolve("drop.pov")), 1, tile, settings));
        assertFalse(Files.exists(scene.resolve("dropped.txt")), "the engine let the scene write into its folder");
        Files.writeString(scene.resolve("ok.pov"), "camera { location <0, 0, -3> look_at 0 }\n"
                + "light_source { <2, 4, -3> rgb 1 }\nsphere { 0, 1 pigment { rgb <1, 0, 0> } }\n");
        var pixels = engine.renderTile(org.tessera.render.core.RenderScene.ofFile(scene.resolve("ok.pov")), 1, tile, settings);
        assertEquals(8 * 8 * 3, pixels.rgb().length);
    }

    @Test
    void aSceneCannotRewriteAnotherCachedScene() throws Exception {
        Run r = povray("""
                #fopen F "../bbbb/spheres.json" write
                #write (F, "{\\"evil\\": true}")
                #fclose F
                sphere { 0, 1 pigment { rgb 1 } }
                """);
        assertTrue(r.exitCode() != 0, r.output());
        assertTrue(r.output().contains("Cannot open"), r.output());
        assertEquals("{\"original\": true}", Files.readString(other.resolve("spheres.json")));
    }

    @Test
    void aSceneCannotWriteIntoItsOwnFolderOrTmp() throws Exception {
        String name = "tessera-escape-" + UUID.randomUUID();
        Run r = povray("#fopen F \"" + scene.resolve("dropped.txt") + "\" write\n#fclose F\n"
                + "#fopen G \"/tmp/" + name + "\" write\n#fclose G\nsphere { 0, 1 pigment { rgb 1 } }\n");
        assertTrue(r.exitCode() != 0, r.output());
        assertFalse(Files.exists(scene.resolve("dropped.txt")), "the scene folder must stay read-only");
        Run r2 = povray("#fopen G \"/tmp/" + name + "\" write\n#write (G, \"x\")\n#fclose G\nsphere { 0, 1 pigment { rgb 1 } }\n");
        assertEquals(0, r2.exitCode(), "the sandbox's own /tmp is writable and private: " + r2.output());
        assertFalse(Files.exists(Path.of("/tmp", name)), "the write must not reach the machine's /tmp");
    }

    @Test
    void aSceneCanWriteItsScratchFolderAndReadItsOwnFiles() throws Exception {
        Files.writeString(scene.resolve("colour.inc"), "#declare C = rgb <1, 0, 0>;\n");
        Run r = povray("""
                #include "colour.inc"
                #include "colors.inc"
                #fopen F "notes.txt" write
                #write (F, "written\\n")
                #fclose F
                sphere { 0, 1 pigment { C } }
                """);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals("written\n", Files.readString(scratch.resolve("notes.txt")));
        assertTrue(Files.size(scratch.resolve("out.png")) > 0);
    }

    @Test
    void aSceneCannotIncludeSystemFiles() throws Exception {
        Run r = povray("#include \"/etc/passwd\"\nsphere { 0, 1 pigment { rgb 1 } }\n");
        assertTrue(r.exitCode() != 0, r.output());
        assertTrue(r.output().contains("Cannot open") || r.output().contains("Cannot find"), r.output());
        assertFalse(r.output().contains("root:"), "no line of /etc/passwd may reach the output: " + r.output());
    }

    @Test
    void childrenGetACleanEnvironment() throws Exception {
        Process p = sandbox().builder(List.of("/usr/bin/env"), scene, scratch, List.of(), Map.of("POV_EXTRA", "1")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<String> names = out.lines().map(l -> l.substring(0, l.indexOf('='))).sorted().toList();
        assertEquals(List.of("HOME", "LANG", "PATH", "POV_EXTRA", "PWD", "TMPDIR"), names, out);
        assertTrue(out.contains("HOME=" + scratch), out);
    }

    @Test
    void withoutBubblewrapEnginesRefuseWithAnInstallHint() throws Exception {
        SceneSandbox none = SceneSandbox.detect(null, dir.toString());
        assertTrue(none.enforced());
        EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                () -> none.builder(List.of("/usr/bin/povray"), scene, scratch, List.of(), Map.of()));
        assertTrue(e.getMessage().contains("apt-get install bubblewrap"), e.getMessage());
        assertTrue(e.getMessage().contains("TESSERA_SANDBOX=off"), e.getMessage());
        SceneSandbox bad = SceneSandbox.detect("sometimes", System.getenv("PATH"));
        assertTrue(bad.unavailableReason().contains("not a policy"), bad.unavailableReason());
        SceneSandbox off = SceneSandbox.detect("off", dir.toString());
        Process p = off.builder(List.of("/usr/bin/env"), scene, scratch, List.of(), Map.of()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(4, out.lines().count(), "off still gives a clean environment: " + out);
    }
}
