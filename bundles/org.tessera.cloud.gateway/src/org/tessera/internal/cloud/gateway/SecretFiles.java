// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files holding secrets or ownership: written atomically, readable by their owner only (0600). */
final class SecretFiles {
    private SecretFiles() {
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Writes {@code text} to {@code file} through a 0600 temporary file and an atomic move. */
    static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().threadId() + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix()) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (posix()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /**
     * Reads a secret from a file that only its owner may read ({@link org.tessera.core.Credentials#readOwnerOnly}).
     *
     * @throws IllegalArgumentException when the file is missing, empty, or readable by group or others
     */
    static String readPrivate(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("token file " + file + " does not exist");
        }
        String text;
        try {
            text = org.tessera.core.Credentials.readOwnerOnly(file);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("token file " + file + " is empty");
        }
        return text;
    }
}
