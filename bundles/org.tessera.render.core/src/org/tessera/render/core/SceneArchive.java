// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 */
public record SceneArchive(byte[] zip, String sha256) {

    /** Largest scene folder packed, bytes: {@value}. */
    public static final long MAX_BYTES = 256L * 1024 * 1024;

    /**
     * Packs {@code scene}'s folder.
     *
     * @throws SceneException when the folder cannot be read or is larger than {@link #MAX_BYTES}
     */
    public static SceneArchive of(RenderScene scene) throws SceneException {
        Path root = scene.folder();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root, 8)) {
            walk.filter(Files::isRegularFile).filter(p -> !hidden(root.relativize(p))).sorted().forEach(files::add);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SceneException("cannot read scene folder " + root + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long total = 0;
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(1);
            for (Path f : files) {
                total += Files.size(f);
                if (total > MAX_BYTES) {
                    throw new SceneException("scene folder " + root + " holds more than " + MAX_BYTES / (1024 * 1024)
                            + " MB: put the scene in a folder of its own");
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
        return new SceneArchive(data, sha256(data));
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
     * Unpacks an archive into {@code folder} (created if missing). Entries that would land outside
     * {@code folder} are refused.
     *
     * @throws SceneException when the bytes are not a ZIP or an entry escapes the folder
     */
    public static void extract(byte[] zip, Path folder) throws SceneException {
        Path root = folder.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            Files.createDirectories(root);
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new SceneException("scene archive entry '" + e.getName() + "' points outside the scene folder");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy((InputStream) in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new SceneException("scene archive cannot be unpacked: " + e.getMessage(), e);
        }
    }
}
