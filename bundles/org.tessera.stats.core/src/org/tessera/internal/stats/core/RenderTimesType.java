// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;
import org.tessera.stats.core.RenderTimeHistory;
import org.tessera.stats.core.RenderTimeLayer;
import org.tessera.stats.core.RenderTimeProject;
import org.tessera.stats.core.StatsFileType;
import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsKind;

/** Render-time history for {@code tessera stats}: one CSV row per kept job time (position 0 = newest). */
@Component(service = StatsFileType.class)
public class RenderTimesType extends BuiltInStatsFileType {

    public RenderTimesType() {
        super(StatsKind.RENDER_TIMES);
    }

    @Override
    public String summarize(Path file) throws StatsFormatException {
        RenderTimeHistory h = RenderTimeHistory.load(file);
        StringBuilder s = new StringBuilder("render-time history, " + h.count() + " projects\n");
        for (RenderTimeProject p : h.projects()) {
            s.append("  ").append(p.name()).append(", last used ").append(RecordColumns.ofEpochSeconds(p.lastUsed())).append('\n');
            for (RenderTimeLayer l : p.layers()) {
                s.append(String.format("    %-30s %3d kept of %d jobs, newest %s%n", l.name(), l.timesCount(), l.jobsAdded(),
                        l.timesCount() == 0 ? "-" : l.getFrameTime(0) + " PS*s"));
            }
        }
        return s.toString();
    }

    @Override
    public List<String> columns() {
        return List.of("project", "lastUsed", "layer", "jobsAdded", "position", "frameTime");
    }

    @Override
    public void exportRows(Path file, LocalDateTime from, LocalDateTime to, Consumer<List<Object>> rows)
            throws StatsFormatException {
        RenderTimeHistory h = RenderTimeHistory.load(file);
        for (RenderTimeProject p : h.projects()) {
            for (RenderTimeLayer l : p.layers()) {
                for (int i = 0; i < l.timesCount(); i++) {
                    rows.accept(List.of(p.name(), RecordColumns.ofEpochSeconds(p.lastUsed()), l.name(), l.jobsAdded(), i,
                            l.getFrameTime(i)));
                }
            }
        }
    }
}
