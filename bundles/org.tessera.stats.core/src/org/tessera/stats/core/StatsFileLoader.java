// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seed's API shape for any kind: {@code loadFromFile(name)} returns false on failure and
 * {@link #getError()} says why. Idiomatic callers use the kinds' {@code load(Path)} instead.
 * <pre>
 * StatsFileLoader&lt;ServerStats&gt; s = StatsFileLoader.of(ServerStats::load);
 * if (!s.loadFromFile("server_stats.db")) System.err.println(s.getError());
 * </pre>
 *
 * @param <T> the decoded kind
 */
public final class StatsFileLoader<T> {
    /** A decoder such as {@code DailyStats::load}. */
    @FunctionalInterface
    public interface Decoder<T> {
        T load(Path file) throws StatsFormatException;
    }

    private final Decoder<T> decoder;
    private T data;
    private String error = "";

    private StatsFileLoader(Decoder<T> decoder) {
        this.decoder = decoder;
    }

    public static <T> StatsFileLoader<T> of(Decoder<T> decoder) {
        return new StatsFileLoader<>(decoder);
    }

    /** Loads a file; a missing file fails. */
    public boolean loadFromFile(String fileName) {
        return loadFromFile(fileName, true);
    }

    /**
     * Loads a file.
     *
     * @param failIfNoFile when false, a missing file succeeds and leaves {@link #data()} null
     */
    public boolean loadFromFile(String fileName, boolean failIfNoFile) {
        data = null;
        error = "";
        Path p = Path.of(fileName);
        if (!failIfNoFile && !Files.exists(p)) {
            return true;
        }
        try {
            data = decoder.load(p);
            return true;
        } catch (StatsFormatException e) {
            error = e.getMessage();
            return false;
        }
    }

    /** Why the last load failed; empty after a success. */
    public String getError() {
        return error;
    }

    /** The last loaded data, or null. */
    public T data() {
        return data;
    }
}
