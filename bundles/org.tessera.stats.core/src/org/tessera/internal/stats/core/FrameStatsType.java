// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;
import org.tessera.stats.core.FramePart;
import org.tessera.stats.core.FrameStat;
import org.tessera.stats.core.FrameStats;
import org.tessera.stats.core.StatsFileType;
import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsKind;

/** Frame stats for {@code tessera stats}: one CSV row per frame, parts flattened. */
@Component(service = StatsFileType.class)
public class FrameStatsType extends BuiltInStatsFileType {

    public FrameStatsType() {
        super(StatsKind.FRAMES);
    }

    @Override
    public String summarize(Path file) throws StatsFormatException {
        FrameStats f = FrameStats.load(file);
        long total = 0;
        int max = 0;
        for (FrameStat s : f.frames()) {
            total += s.renderSeconds();
            max = Math.max(max, s.renderSeconds());
        }
        return String.format("frame stats of job %s%n  %d frames, render time total %d s, average %d s, max %d s%n",
                f.job(), f.frameCount(), total, f.frameCount() == 0 ? 0 : total / f.frameCount(), max);
    }

    @Override
    public List<String> columns() {
        List<String> c = new ArrayList<>(List.of("job", "index", "frameNrJob", "client", "renderSeconds", "renderTime5Sec",
                "logFileStart", "logFileStartFrame", "averageValue"));
        for (int p = 1; p <= FrameStats.PARTS; p++) {
            c.addAll(List.of("part" + p + "JobMemoryMB", "part" + p + "JobCPU", "part" + p + "NonJobCPU",
                    "part" + p + "RenderThreads"));
        }
        return c;
    }

    @Override
    public void exportRows(Path file, LocalDateTime from, LocalDateTime to, Consumer<List<Object>> rows)
            throws StatsFormatException {
        FrameStats f = FrameStats.load(file);
        for (int i = 0; i < f.frameCount(); i++) {
            FrameStat s = f.frame(i);
            LocalDateTime start = RecordColumns.ofEpochSeconds(s.logFileStart());
            if (!RecordColumns.inWindow(start, from, to)) {
                continue;
            }
            List<Object> row = new ArrayList<>(List.of(f.job(), i, s.frameNrJob(), s.client(), s.renderSeconds(),
                    s.renderTime5Sec(), start, s.logFileStartFrame(), s.averageValue()));
            for (FramePart p : s.parts()) {
                row.addAll(List.of(p.jobMemoryMB(), p.jobCPU(), p.nonJobCPU(), p.renderThreads()));
            }
            rows.accept(row);
        }
    }
}
