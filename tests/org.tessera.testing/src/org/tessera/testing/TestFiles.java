// SPDX-License-Identifier: EPL-2.0
package org.tessera.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** File helpers for tests that work on copies of the built products. */
public final class TestFiles {
    private TestFiles() {
    }

    /** Copies the folder {@code from} with everything below it to {@code to} (created; must not exist as a file). */
    public static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
