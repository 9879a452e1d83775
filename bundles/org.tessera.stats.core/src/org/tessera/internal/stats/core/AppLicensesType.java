// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;
import org.tessera.stats.core.AppLicense;
import org.tessera.stats.core.AppLicenses;
import org.tessera.stats.core.LicenseRegion;
import org.tessera.stats.core.StatsFileType;
import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsKind;

/** App licences for {@code tessera stats}: one CSV row per app and region. */
@Component(service = StatsFileType.class)
public class AppLicensesType extends BuiltInStatsFileType {

    public AppLicensesType() {
        super(StatsKind.APP_LICENSES);
    }

    @Override
    public String summarize(Path file) throws StatsFormatException {
        AppLicenses a = AppLicenses.load(file);
        StringBuilder s = new StringBuilder("app licences, " + a.getCount() + " entries\n");
        for (AppLicense l : a.licenses()) {
            s.append(String.format("  %s%s v%d:", l.renderAppName(), l.pluginName().isEmpty() ? "" : "/" + l.pluginName(),
                    l.version()));
            for (int g = 0; g < AppLicenses.REGIONS; g++) {
                LicenseRegion r = l.regions().get(g);
                s.append(" ").append(AppLicenses.REGION_NAMES.get(g)).append('=')
                        .append(!r.typeSet() ? "default" : r.unlimited() ? "unlimited" : String.valueOf(r.licCount()));
            }
            s.append('\n');
        }
        return s.toString();
    }

    @Override
    public List<String> columns() {
        return List.of("renderApp", "plugin", "version", "region", "licCount", "typeSet", "unlimited", "cost");
    }

    @Override
    public void exportRows(Path file, LocalDateTime from, LocalDateTime to, Consumer<List<Object>> rows)
            throws StatsFormatException {
        for (AppLicense l : AppLicenses.load(file).licenses()) {
            for (int g = 0; g < AppLicenses.REGIONS; g++) {
                LicenseRegion r = l.regions().get(g);
                rows.accept(List.of(l.renderAppName(), l.pluginName(), l.version(), AppLicenses.REGION_NAMES.get(g),
                        r.licCount(), r.typeSet(), r.unlimited(), r.cost()));
            }
        }
    }
}
