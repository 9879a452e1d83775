// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;
import org.tessera.stats.core.ServerStats;
import org.tessera.stats.core.ServerStats.Ring;
import org.tessera.stats.core.ServerStatsItem;
import org.tessera.stats.core.StatsFileType;
import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsKind;

/** Server stats for {@code tessera stats}: one CSV row per used slot of each ring. */
@Component(service = StatsFileType.class)
public class ServerStatsType extends BuiltInStatsFileType {
    private static final Set<String> SKIP = Set.of("slotUsed");

    public ServerStatsType() {
        super(StatsKind.SERVER);
    }

    @Override
    public String summarize(Path file) throws StatsFormatException {
        ServerStats s = ServerStats.load(file);
        StringBuilder b = new StringBuilder("server stats\n");
        for (Ring ring : Ring.values()) {
            int used = 0;
            for (int i = 0; i < s.max(ring); i++) {
                used += s.slotUsed(ring, i) ? 1 : 0;
            }
            long last = ring == Ring.DAY ? s.lastSaveDay() : ring == Ring.MONTH ? s.lastSaveMonth() : s.lastSaveYear();
            b.append(String.format("  %-5s %4d slots of %5d s, %4d used, last save %s%n", ring.name().toLowerCase(),
                    s.max(ring), ring.slotSeconds(), used, RecordColumns.localOf(last * ring.slotSeconds())));
        }
        return b.toString();
    }

    @Override
    public List<String> columns() {
        return RecordColumns.concat(List.of("ring", "index", "slotStart"), RecordColumns.names(ServerStatsItem.class, SKIP));
    }

    @Override
    public void exportRows(Path file, LocalDateTime from, LocalDateTime to, Consumer<List<Object>> rows)
            throws StatsFormatException {
        ServerStats s = ServerStats.load(file);
        for (Ring ring : Ring.values()) {
            for (int i = 0; i < s.max(ring); i++) {
                if (!s.slotUsed(ring, i)) {
                    continue;
                }
                LocalDateTime start = RecordColumns.localOf(s.slotStart(ring, i));
                if (RecordColumns.inWindow(start, from, to)) {
                    List<Object> row = new ArrayList<>(List.of(ring.name().toLowerCase(), i, start));
                    RecordColumns.values(s.item(ring, i), SKIP, row);
                    rows.accept(row);
                }
            }
        }
    }
}
