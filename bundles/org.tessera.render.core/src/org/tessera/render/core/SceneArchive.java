// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A scene folder packed for a cluster node: a ZIP of every regular file under the folder (hidden files
 * and folders left out), entries sorted and time-stamped 0, so the same folder always gives the same
 * bytes and the same SHA-256 — nodes cache scenes by that hash ({@code PUT /v1/scenes?sha256=}).
 *
 * @param zip    the archive bytes
 * @param sha256 lower-case hex SHA-256 of {@code zip}
 * @param files  how many files were packed
 * @param bytes  their size before compression, bytes
 */
public record SceneArchive(byte[] zip, String sha256, int files, long bytes) {

    /** Largest scene folder packed, and largest archive unpacked, in bytes: {@value}. */
    public static final long MAX_BYTES = 256L * 1024 * 1024;

    /** Most entries an archive may hold when unpacked: {@value}. */
    public static final int MAX_ENTRIES = 20_000;

    /** The file in a scene folder listing what is not sent to nodes: {@value}. */
    public static final String IGNORE_FILE = ".tesseraignore";

    /** An archive of bytes already packed (a node's upload): files and bytes unknown (0). */
    public SceneArchive(byte[] zip, String sha256) {
        this(zip, sha256, 0, 0);
    }

    /**
     * Packs {@code scene}'s folder, every regular file but those {@link #packed(RenderScene, List) left out}.
     *
     * @throws SceneException when the folder cannot be read or is larger than {@link #MAX_BYTES}
     */
    public static SceneArchive of(RenderScene scene) throws SceneException {
        return of(scene, List.of());
    }

    /**
     * Packs {@code scene}'s folder without the folders in {@code excluded} (a job's own output folder when
     * it lies inside the scene folder: old frames are never sent to nodes).
     *
     * @throws SceneException when the folder cannot be read or is larger than {@link #MAX_BYTES}
     */
    public static SceneArchive of(RenderScene scene, List<Path> excluded) throws SceneException {
        Path root = scene.folder();
        List<Path> files = packed(scene, excluded);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long total = 0;
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(1);
            for (Path f : files) {
                total += Files.size(f);
                if (total > MAX_BYTES) {
                    throw new SceneException("scene folder " + root + " holds more than " + MAX_BYTES / (1024 * 1024)
                            + " MB to send: put the scene in a folder of its own, or list what nodes do not need in "
                            + root.resolve(IGNORE_FILE) + " (docs/node-protocol.md)");
                }
                ZipEntry e = new ZipEntry(root.relativize(f).toString().replace('\\', '/'));
                e.setTime(0);
                zip.putNextEntry(e);
                Files.copy(f, zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new SceneException("cannot pack scene folder " + root + ": " + e.getMessage(), e);
        }
        byte[] data = bytes.toByteArray();
        return new SceneArchive(data, sha256(data), files.size(), total);
    }

    /**
     * The files of {@code scene}'s folder that go to nodes, sorted: every regular file up to 8 folders
     * deep, except hidden files and folders (names starting with a dot), the folders in {@code excluded},
     * and what the folder's {@value #IGNORE_FILE} lists (one glob per line, {@code #} comments; a pattern
     * without {@code /} matches a file or folder name at any depth, one with {@code /} the path relative
     * to the scene folder; a folder that matches is left out whole). The main file is always sent.
     *
     * @throws SceneException when the folder or its ignore file cannot be read
     */
    public static List<Path> packed(RenderScene scene, List<Path> excluded) throws SceneException {
        Path root = scene.folder();
        List<java.nio.file.PathMatcher> byName = new ArrayList<>();
        List<java.nio.file.PathMatcher> byPath = new ArrayList<>();
        Path ignore = root.resolve(IGNORE_FILE);
        try {
            if (Files.isRegularFile(ignore)) {
                for (String line : Files.readAllLines(ignore, java.nio.charset.StandardCharsets.UTF_8)) {
                    String g = line.strip();
                    while (g.endsWith("/")) {
                        g = g.substring(0, g.length() - 1);
                    }
                    if (g.isEmpty() || g.startsWith("#")) {
                        continue;
                    }
                    try {
                        if (g.contains("/")) {
                            byPath.add(root.getFileSystem().getPathMatcher("glob:" + (g.startsWith("/") ? g.substring(1) : g)));
                        } else {
                            byName.add(root.getFileSystem().getPathMatcher("glob:" + g));
                        }
                    } catch (RuntimeException bad) {
                        throw new SceneException(ignore + ": '" + line.strip() + "' is not a glob pattern: " + bad.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new SceneException("cannot read " + ignore + ": " + e.getMessage(), e);
        }
        List<Path> out = excluded.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        Path main = scene.file();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root, 8)) {
            walk.filter(Files::isRegularFile).filter(p -> p.equals(main) || !left(root.relativize(p), out, root, byName, byPath))
                    .sorted().forEach(files::add);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SceneException("cannot read scene folder " + root + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static boolean left(Path relative, List<Path> excluded, Path root, List<java.nio.file.PathMatcher> byName,
            List<java.nio.file.PathMatcher> byPath) {
        if (hidden(relative)) {
            return true;
        }
        Path abs = root.resolve(relative);
        for (Path x : excluded) {
            if (abs.startsWith(x)) {
                return true;
            }
        }
        for (Path part : relative) {
            for (var m : byName) {
                if (m.matches(part)) {
                    return true;
                }
            }
        }
        for (int i = 1; i <= relative.getNameCount(); i++) {
            Path prefix = relative.subpath(0, i);
            for (var m : byPath) {
                if (m.matches(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Lower-case hex SHA-256 of {@code data}. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Unpacks an archive into {@code folder} (created if missing), refusing entries that would land outside
     * {@code folder}, names with control characters, more than {@link #MAX_ENTRIES} entries and more than
     * {@link #MAX_BYTES} bytes unpacked (counted as they are written: a small archive of a huge entry
     * stops at the limit). On failure, what was unpacked is left for the caller to delete.
     *
     * @return the bytes unpacked
     * @throws SceneException when the bytes are not a ZIP or break one of the rules above
     */
    public static long extract(byte[] zip, Path folder) throws SceneException {
        Path root = folder.toAbsolutePath().normalize();
        long total = 0;
        int entries = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            Files.createDirectories(root);
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                if (++entries > MAX_ENTRIES) {
                    throw new SceneException("scene archive has more than " + MAX_ENTRIES + " entries");
                }
                String name = e.getName();
                if (name.isEmpty() || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new SceneException("scene archive entry name '" + printable(name) + "' has control characters");
                }
                Path target;
                try {
                    target = root.resolve(name).normalize();
                } catch (java.nio.file.InvalidPathException bad) {
                    throw new SceneException("scene archive entry name '" + printable(name) + "' is not a file name: " + bad.getReason());
                }
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new SceneException("scene archive entry '" + printable(name) + "' points outside the scene folder");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (var out = Files.newOutputStream(target)) {
                    for (int n; (n = in.read(buffer)) > 0;) {
                        total += n;
                        if (total > MAX_BYTES) {
                            throw new SceneException("scene archive unpacks to more than " + MAX_BYTES / (1024 * 1024)
                                    + " MB (entry '" + printable(name) + "')");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new SceneException("scene archive cannot be unpacked: " + e.getMessage(), e);
        }
        return total;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
