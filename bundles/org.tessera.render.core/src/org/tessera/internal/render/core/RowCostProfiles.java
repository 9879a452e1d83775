// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.Tile;

/**
 * What each row of a frame cost to render, learned from tiles whose engine measured it
 * ({@link org.tessera.render.core.TilePixels#rowSeconds()}), by engine, scene content, size and
 * antialiasing. A frame planned after a complete profile exists is cut into bands of equal cost; the
 * latest measurement of a row replaces the older one (an animation drifts). Profiles are kept in memory
 * and, when a folder is given, as small text files there, so the next run of the same scene starts
 * balanced. A profile is only a hint: a stale or missing one costs time, never pixels.
 */
public final class RowCostProfiles {
    private final Path folder;
    private final Map<String, double[]> profiles = new ConcurrentHashMap<>();

    /** @param folder where profiles persist, or {@code null} to keep them in memory only */
    public RowCostProfiles(Path folder) {
        this.folder = folder;
    }

    /** The profile key of a request rendered with {@code engine}, or {@code null} when the scene cannot be read. */
    public static String key(String engine, RenderRequest request) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(request.scene().file()), md)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            String scene = HexFormat.of().formatHex(md.digest()).substring(0, 24);
            String key = String.format(Locale.ROOT, "%s-%s-%dx%d-aa%d", engine.replaceAll("[^A-Za-z0-9_.-]", "_"), scene,
                    request.width(), request.height(), request.antialias());
            if (!request.engineOptions().isEmpty() || !request.engineIni().isEmpty()) {
                // the user's options (quality, antialiasing) change what rows cost: a profile of their own
                md.reset();
                md.update((request.engineOptions() + "\0" + request.engineIni()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                key += "-o" + HexFormat.of().formatHex(md.digest()).substring(0, 12);
            }
            return key;
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** The complete profile of {@code key} for an image {@code height} rows high, or {@code null}. */
    public double[] get(String key, int height) {
        if (key == null) {
            return null;
        }
        double[] p = profiles.computeIfAbsent(key, this::load);
        synchronized (p) {
            if (p.length != height) {
                return null;
            }
            for (double v : p) {
                if (Double.isNaN(v)) {
                    return null;
                }
            }
            return p.clone();
        }
    }

    /** Records what the rows of {@code tile} cost; saves the profile once every row is known. */
    public void record(String key, int height, Tile tile, double[] rowSeconds) {
        if (key == null || rowSeconds == null || tile.y() + tile.height() > height) {
            return;
        }
        double[] p = profiles.compute(key, (k, old) -> {
            double[] base = old == null ? load(k) : old;
            if (base.length != height) {
                base = new double[height];
                Arrays.fill(base, Double.NaN);
            }
            return base;
        });
        boolean complete;
        synchronized (p) {
            System.arraycopy(rowSeconds, 0, p, tile.y(), tile.height());
            complete = Arrays.stream(p).noneMatch(Double::isNaN);
        }
        if (complete) {
            save(key, p);
        }
    }

    private double[] load(String key) {
        if (folder != null) {
            try {
                List<String> lines = Files.readAllLines(folder.resolve(key + ".rowcosts"), StandardCharsets.US_ASCII);
                double[] p = new double[lines.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = Double.parseDouble(lines.get(i).trim());
                    if (!(p[i] >= 0) || Double.isInfinite(p[i])) {
                        throw new NumberFormatException("bad row cost " + lines.get(i));
                    }
                }
                return p;
            } catch (IOException | RuntimeException e) {
                // none yet, or unreadable: start afresh
            }
        }
        return new double[0];
    }

    private void save(String key, double[] p) {
        if (folder == null) {
            return;
        }
        List<String> lines = new ArrayList<>(p.length);
        synchronized (p) {
            for (double v : p) {
                lines.add(String.format(Locale.ROOT, "%.6f", v));
            }
        }
        try {
            Files.createDirectories(folder);
            Path tmp = Files.createTempFile(folder, key, ".tmp");
            Files.write(tmp, lines, StandardCharsets.US_ASCII);
            Files.move(tmp, folder.resolve(key + ".rowcosts"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // a hint only: the next run starts with equal bands
        }
    }
}
