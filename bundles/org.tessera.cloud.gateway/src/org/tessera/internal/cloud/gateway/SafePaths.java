// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Resolves names sent by clients so that nothing outside a given root is ever read or written. */
final class SafePaths {
    private SafePaths() {
    }

    /**
     * A relative name ({@code a/b.pov}) checked: not empty, not absolute, no {@code ..} or empty
     * segments, no backslashes or NUL.
     *
     * @return the name with {@code /} separators
     * @throws IllegalArgumentException saying what is wrong
     */
    static String relativeName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("empty file name");
        }
        if (name.startsWith("/") || name.contains("\\") || name.contains("\0") || name.matches("^[A-Za-z]:.*")) {
            throw new IllegalArgumentException("file name '" + name + "' must be relative");
        }
        for (String part : name.split("/", -1)) {
            if (part.equals("..")) {
                throw new IllegalArgumentException("file name '" + name + "' leaves its root (..)");
            }
            if (part.isEmpty() || part.equals(".")) {
                throw new IllegalArgumentException("file name '" + name + "' has an empty or '.' segment");
            }
        }
        return name;
    }

    /**
     * A URL path segment decoded: {@code %XX} escapes as UTF-8 bytes; a {@code +} stays a plus (only
     * form bodies turn it into a space).
     *
     * @throws IllegalArgumentException for a broken escape
     */
    static String percentDecode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length()) {
                    throw new IllegalArgumentException("broken %-escape in '" + path + "'");
                }
                int hi = Character.digit(path.charAt(i + 1), 16);
                int lo = Character.digit(path.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("broken %-escape in '" + path + "'");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < path.length()) {
                    b = path.substring(i, i + 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(b);
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * {@code root/name} for an existing regular file whose real path (links followed) is still under
     * the real root.
     */
    static Path existingFileUnder(Path root, String name) throws IOException {
        Path file = root.resolve(relativeName(name)).normalize();
        Path realRoot = root.toRealPath();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        if (!file.toRealPath().startsWith(realRoot)) {
            throw new IllegalArgumentException("'" + name + "' is a link leading outside " + root);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("'" + name + "' is not a regular file");
        }
        return file;
    }

    /** {@code root/name} for a file to be written, checked to stay under root. */
    static Path targetUnder(Path root, String name) {
        Path file = root.resolve(relativeName(name)).normalize();
        if (!file.startsWith(root.normalize())) {
            throw new IllegalArgumentException("'" + name + "' leaves " + root);
        }
        return file;
    }
}
