// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Component;
import org.tessera.stats.core.ClientSlot;
import org.tessera.stats.core.ClientStats;
import org.tessera.stats.core.StatsFileType;
import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsKind;

/** Client (node) stats for {@code tessera stats}: one CSV row per set 30-second slot. */
@Component(service = StatsFileType.class)
public class ClientStatsType extends BuiltInStatsFileType {
    private static final Set<String> SKIP = Set.of("hasData", "jobThreads");

    public ClientStatsType() {
        super(StatsKind.CLIENT);
    }

    @Override
    public String summarize(Path file) throws StatsFormatException {
        ClientStats c = ClientStats.load(file);
        int days = 0;
        long slots = 0;
        for (int d = 0; d < c.daysMax(); d++) {
            if (c.daySet(d)) {
                days++;
                for (int i = 0; i < c.dataMax(); i++) {
                    slots += c.hasData(d, i) ? 1 : 0;
                }
            }
        }
        String last = c.daySet(c.daysMax() - 1) ? LocalDate.ofEpochDay(c.day(c.daysMax() - 1)).toString() : "none";
        return String.format("client stats (StructureID 0x%X)%n  %d days of %d slots of %d s, %d job threads per slot%n"
                + "  %d days set, %d slots with data, last day %s%n", c.structureId(), c.daysMax(), c.dataMax(),
                c.slotSeconds(), c.maxJobThreads(), days, slots, last);
    }

    @Override
    public List<String> columns() {
        return RecordColumns.concat(List.of("date", "slotStart"),
                RecordColumns.concat(RecordColumns.names(ClientSlot.class, SKIP), List.of("jobThreads")));
    }

    @Override
    public void exportRows(Path file, LocalDateTime from, LocalDateTime to, Consumer<List<Object>> rows)
            throws StatsFormatException {
        ClientStats c = ClientStats.load(file);
        for (int d = 0; d < c.daysMax(); d++) {
            if (!c.daySet(d)) {
                continue;
            }
            LocalDate day = LocalDate.ofEpochDay(c.day(d));
            for (int i = 0; i < c.dataMax(); i++) {
                LocalDateTime start = day.atStartOfDay().plusSeconds((long) i * c.slotSeconds());
                if (!c.hasData(d, i) || !RecordColumns.inWindow(start, from, to)) {
                    continue;
                }
                ClientSlot s = c.data(d, i);
                List<Object> row = new ArrayList<>(List.of(day, start.toLocalTime()));
                RecordColumns.values(s, SKIP, row);
                row.add(s.jobThreads().stream().map(t -> t.status() + ":" + t.cpuRender() + ":" + t.memRender10MB() + ":"
                        + t.jobIDShortStr()).collect(Collectors.joining(";")));
                rows.accept(row);
            }
        }
    }
}
