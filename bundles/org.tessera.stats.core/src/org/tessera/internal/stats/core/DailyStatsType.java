// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;
import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.JobStat;
import org.tessera.stats.core.JobStatDay;
import org.tessera.stats.core.StatsFileType;
import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsKind;

/** Daily job stats for {@code tessera stats}: one CSV row per set 15-minute slot per user/project/app. */
@Component(service = StatsFileType.class)
public class DailyStatsType extends BuiltInStatsFileType {
    private static final Set<String> SKIP = Set.of("slotSet");
    private static final List<String> TYPES = List.of("user", "project", "app");

    public DailyStatsType() {
        super(StatsKind.DAILY);
    }

    @Override
    public String summarize(Path file) throws StatsFormatException {
        DailyStats d = DailyStats.load(file);
        StringBuilder s = new StringBuilder("daily stats of " + d.day() + " (" + DailyStats.SLOTS + " slots of 15 min)\n");
        for (int type = 0; type < 3; type++) {
            s.append(String.format("  %-8s %d%n", TYPES.get(type) + "s:", d.getJobsByType(type).size()));
            for (JobStatDay e : d.getJobsByType(type)) {
                long frames = 0;
                int set = 0;
                for (JobStat j : e.slots()) {
                    if (j.slotSet()) {
                        set++;
                        frames += j.framesRendered();
                    }
                }
                s.append(String.format("    %-30s %6d frames in %2d slots%n", e.name(), frames, set));
            }
        }
        return s.toString();
    }

    @Override
    public List<String> columns() {
        return RecordColumns.concat(List.of("date", "slotStart", "type", "name"), RecordColumns.names(JobStat.class, SKIP));
    }

    @Override
    public void exportRows(Path file, LocalDateTime from, LocalDateTime to, Consumer<List<Object>> rows)
            throws StatsFormatException {
        DailyStats d = DailyStats.load(file);
        for (int type = 0; type < 3; type++) {
            for (JobStatDay e : d.getJobsByType(type)) {
                for (int i = 0; i < e.timeSlotCount(); i++) {
                    LocalDateTime start = d.day().atStartOfDay().plusMinutes((long) i * 1440 / e.timeSlotCount());
                    if (e.slots().get(i).slotSet() && RecordColumns.inWindow(start, from, to)) {
                        List<Object> row = new ArrayList<>(List.of(d.day(), start.toLocalTime(), TYPES.get(type), e.name()));
                        RecordColumns.values(e.slots().get(i), SKIP, row);
                        rows.accept(row);
                    }
                }
            }
        }
    }
}
