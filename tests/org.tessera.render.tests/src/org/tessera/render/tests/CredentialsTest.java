// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.testing.TesseraProcess;
import org.tessera.testing.TesseraProcess.Result;

/**
 * A headless master takes the node token from the environment or from a file only its owner may read
 * ({@code TESSERA_SECRETS/cluster.token}), never from a system property or its command line; a secrets
 * file others may read is refused with the fix.
 */
class CredentialsTest {
    private static final String TOKEN = "n0de-t0ken-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path work;

    @Test
    void theNodeTokenComesFromAnOwnerOnlyFileOrTheEnvironment() throws Exception {
        Path scenes = RenderFixtures.exampleScenes(work.resolve("scenes"));
        Path secrets = Files.createDirectories(work.resolve("secrets"));
        int port = TesseraProcess.freePort();
        try (TesseraProcess node = TesseraProcess.start(TesseraProcess.productHome(), List.of("-Xmx512m"),
                Map.of("TESSERA_NODE_TOKEN", TOKEN), work, "token-node", "node", "serve", "--port", String.valueOf(port))) {
            node.awaitLine(l -> l.startsWith("Node listening on"), Duration.ofSeconds(60));

            Result none = render(scenes, port, Map.of("TESSERA_SECRETS", secrets.toString()), "none");
            assertNotEquals(0, none.exitCode(), "no token, the node refuses: " + none.output());

            Path file = secrets.resolve("cluster.token");
            Files.writeString(file, TOKEN + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            Result open = render(scenes, port, Map.of("TESSERA_SECRETS", secrets.toString()), "open");
            assertNotEquals(0, open.exitCode(), open.output());
            assertTrue(open.output().contains("chmod 600 " + file), open.output());
            assertFalse(open.output().contains(TOKEN), "the token is never printed");

            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Result owner = render(scenes, port, Map.of("TESSERA_SECRETS", secrets.toString()), "owner");
            assertEquals(0, owner.exitCode(), owner.output());
            assertTrue(Files.isRegularFile(work.resolve("owner/f_0001.png")));

            Result env = render(scenes, port, Map.of("TESSERA_SECRETS", work.resolve("nothing").toString(),
                    "TESSERA_CLUSTER_TOKEN", TOKEN), "env");
            assertEquals(0, env.exitCode(), env.output());
            assertFalse(node.output().contains(TOKEN) || owner.output().contains(TOKEN) || env.output().contains(TOKEN),
                    "the token is never printed");
        }
    }

    private Result render(Path scenes, int port, Map<String, String> env, String out) {
        return TesseraProcess.run(work, Duration.ofSeconds(120), env, "render", scenes.resolve("spheres.json").toString(),
                "--size", "32x24", "--cluster", "127.0.0.1:" + port, "--out", work.resolve(out + "/f_####.png").toString());
    }
}
