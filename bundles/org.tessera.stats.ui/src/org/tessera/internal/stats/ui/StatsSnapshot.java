// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.FrameStats;
import org.tessera.stats.core.RenderTimeHistory;
import org.tessera.stats.core.ServerStats;
import org.tessera.stats.core.StatsFiles;
import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsKind;

/**
 * The stats files one view shows: a single file, or the newest file of each kind in a live stats
 * folder (the recorder's layout: {@code daily/*.tds}, {@code server_stats.db}, {@code renderTimes.db},
 * {@code frames/*.tfs}). Kinds the charts do not use (client, client info, licences) are listed in
 * {@link #files()} for CSV export only. Files that fail to decode are named in {@link #problems()}.
 *
 * @param source what was opened, for the view's header
 * @param files every stats file found (exportable as CSV)
 */
public record StatsSnapshot(Path source, List<Path> files, DailyStats daily, ServerStats server,
        RenderTimeHistory renderTimes, FrameStats frames, List<String> problems) {

    /** Nothing opened yet. */
    public static final StatsSnapshot NONE = new StatsSnapshot(Path.of(""), List.of(), null, null, null, null, List.of());

    public StatsSnapshot {
        files = List.copyOf(files);
        problems = List.copyOf(problems);
    }

    /** Loads a file or a live folder; a file of an unknown kind or a missing path fails. */
    public static StatsSnapshot load(Path source) throws IOException {
        Builder b = new Builder();
        if (Files.isDirectory(source)) {
            b.add(newest(source.resolve("daily"), ".tds"));
            b.add(Optional.of(source.resolve("server_stats.db")).filter(Files::isRegularFile));
            b.add(Optional.of(source.resolve("renderTimes.db")).filter(Files::isRegularFile));
            b.add(newest(source.resolve("frames"), ".tfs"));
            b.add(newest(source.resolve("client"), ".tcs"));
            b.add(Optional.of(source.resolve("clientIPstats.db")).filter(Files::isRegularFile));
        } else if (Files.isRegularFile(source)) {
            b.add(Optional.of(source));
            if (b.files.isEmpty()) {
                throw new IOException(b.problems.getFirst());
            }
        } else {
            throw new IOException(source + " does not exist");
        }
        return new StatsSnapshot(source, b.files, b.daily, b.server, b.renderTimes, b.frames, b.problems);
    }

    /** The newest file (by name, then time) with {@code suffix} in {@code folder}, if any. */
    static Optional<Path> newest(Path folder, String suffix) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .max(Comparator.comparing((Path p) -> lastModified(p)).thenComparing(Path::toString));
        }
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Whether any chart has data. */
    public boolean hasChartData() {
        return daily != null || server != null || renderTimes != null || frames != null;
    }

    private static final class Builder {
        final List<Path> files = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        DailyStats daily;
        ServerStats server;
        RenderTimeHistory renderTimes;
        FrameStats frames;

        void add(Optional<Path> file) {
            if (file.isEmpty()) {
                return;
            }
            Path p = file.get();
            try {
                Optional<StatsKind> kind = StatsKind.ofId(StatsFiles.kindIdOf(p));
                if (kind.isEmpty()) {
                    problems.add(p.getFileName() + ": a stats kind this view does not know");
                    return;
                }
                switch (kind.get()) {
                    case DAILY -> daily = DailyStats.load(p);
                    case SERVER -> server = ServerStats.load(p);
                    case RENDER_TIMES -> renderTimes = RenderTimeHistory.load(p);
                    case FRAMES -> frames = FrameStats.load(p);
                    default -> StatsFiles.verify(p);
                }
                files.add(p);
            } catch (StatsFormatException e) {
                problems.add(e.getMessage());
            }
        }
    }
}
