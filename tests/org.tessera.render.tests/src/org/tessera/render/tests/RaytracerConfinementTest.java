// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.Tile;

/**
 * The built-in raytracer reads only its scene folder (issue 17): a mesh path that leaves it is refused
 * before anything is opened (the same answer whether the file exists or not), errors never echo what a
 * file holds, and huge lines are refused.
 */
class RaytracerConfinementTest {

    @TempDir
    Path dir;

    private SceneException render(String obj) throws Exception {
        Path scene = Files.createDirectories(dir.resolve("scene"));
        Files.writeString(scene.resolve("mesh.json"), """
                {"camera": {"position": [0, 0, -5], "lookAt": [0, 0, 0], "fov": 40},
                 "lights": [{"position": [5, 5, -5], "color": [1, 1, 1]}],
                 "objects": [{"type": "mesh", "obj": "%s"}]}
                """.formatted(obj));
        RenderEngine rt = RenderFixtures.engine("raytracer");
        RenderSettings s = RenderSettings.of(8, 8);
        return assertThrows(SceneException.class,
                () -> rt.renderTile(new RenderScene(scene, "mesh.json"), 1, new Tile(0, 0, 8, 8), s));
    }

    @Test
    void meshPathsThatLeaveTheSceneFolderAreRefusedAlike() throws Exception {
        SceneException existing = render("../../../../../../etc/passwd");
        assertTrue(existing.getMessage().contains("leaves the scene folder"), existing.getMessage());
        assertFalse(existing.getMessage().contains("root:"), existing.getMessage());
        SceneException missing = render("../../../../../../etc/no-such-file-here");
        assertTrue(missing.getMessage().contains("leaves the scene folder"),
                "no oracle: a missing file outside gets the same answer: " + missing.getMessage());
        SceneException absolute = render("/dev/zero");
        assertTrue(absolute.getMessage().contains("leaves the scene folder"), absolute.getMessage());
        Files.createDirectories(dir.resolve("scene"));
        Files.createSymbolicLink(dir.resolve("scene/link.obj"), Path.of("/etc/passwd"));
        SceneException link = render("link.obj");
        assertTrue(link.getMessage().contains("leaves the scene folder"), link.getMessage());
    }

    @Test
    void errorsNeverEchoWhatAFileHolds() throws Exception {
        Files.createDirectories(dir.resolve("scene"));
        Files.writeString(dir.resolve("scene/secret.obj"), "v SECRET-4711 1 2\nf 1 1 1\n");
        SceneException e = render("secret.obj");
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        assertTrue(e.getMessage().contains("secret.obj:1: a number is malformed"), e.getMessage());
        Files.writeString(dir.resolve("scene/long.obj"), "v " + "1".repeat(100_000) + " 1 1\n");
        SceneException l = render("long.obj");
        assertTrue(l.getMessage().contains("a line longer than 4096 characters"), l.getMessage());
        SceneException none = render("nothing.obj");
        assertTrue(none.getMessage().contains("no such file in the scene folder"), none.getMessage());
    }
}
