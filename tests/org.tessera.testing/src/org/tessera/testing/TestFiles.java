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

    /**
     * Copies the file {@code entry} packed in the bundle of {@code owner} (a script next to the tests) to
     * {@code target}.
     *
     * @throws IOException when the bundle has no such entry or it cannot be copied
     */
    public static Path copyEntry(Class<?> owner, String entry, Path target) throws IOException {
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(owner);
        java.net.URL url = bundle == null ? null : bundle.getEntry(entry);
        if (url == null) {
            throw new IOException("no " + entry + " packed in the test bundle of " + owner.getName());
        }
        try (java.io.InputStream in = url.openStream()) {
            Files.copy(in, target);
        }
        return target;
    }
}
