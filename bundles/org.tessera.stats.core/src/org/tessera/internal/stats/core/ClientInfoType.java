// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Component;
import org.tessera.stats.core.ClientInfo;
import org.tessera.stats.core.ClientInfoEntry;
import org.tessera.stats.core.IpRecord;
import org.tessera.stats.core.StatsFileType;
import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsKind;
import org.tessera.stats.core.WolInfo;

/** Client info for {@code tessera stats}: one CSV row per node. */
@Component(service = StatsFileType.class)
public class ClientInfoType extends BuiltInStatsFileType {

    public ClientInfoType() {
        super(StatsKind.CLIENT_INFO);
    }

    @Override
    public String summarize(Path file) throws StatsFormatException {
        ClientInfo c = ClientInfo.load(file);
        StringBuilder s = new StringBuilder("client info, " + c.count() + " nodes\n");
        for (ClientInfoEntry e : c.entries()) {
            s.append(String.format("  %-20s v%-10s last connect %s, %d IPs, %d WOL tries failed%n", e.name(), e.version(),
                    RecordColumns.ofEpochSeconds(e.lastConnect()), e.lastIps().stream().filter(IpRecord::isSet).count(),
                    e.wolTryCount()));
        }
        return s.toString();
    }

    @Override
    public List<String> columns() {
        return List.of("name", "version", "lastConnect", "lastWOLTry", "WOLTryCount", "lastIPs", "lastWOLs");
    }

    @Override
    public void exportRows(Path file, LocalDateTime from, LocalDateTime to, Consumer<List<Object>> rows)
            throws StatsFormatException {
        for (ClientInfoEntry e : ClientInfo.load(file).entries()) {
            rows.accept(List.of(e.name(), e.version(), RecordColumns.ofEpochSeconds(e.lastConnect()),
                    RecordColumns.ofEpochSeconds(e.lastWolTry()), e.wolTryCount(),
                    e.lastIps().stream().filter(IpRecord::isSet)
                            .map(ip -> ip.address() + "@" + RecordColumns.ofEpochSeconds(ip.date())).collect(Collectors.joining(";")),
                    e.lastWols().stream().filter(WolInfo::isSet).map(w -> (w.success() ? "ok" : "failed") + ":" + w.bootTime()
                            + "s@" + RecordColumns.ofEpochSeconds(w.dateTime())).collect(Collectors.joining(";"))));
        }
    }
}
