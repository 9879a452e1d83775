// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.tessera.internal.stats.core.BinaryReader;
import org.tessera.internal.stats.core.BinaryWriter;
import org.tessera.internal.stats.core.StatsContainer;

/**
 * Render licence settings ({@code _AppLicenses_v8}); loaded and saved ({@link #load}, {@link #write}).
 *
 * @param licenses one entry per app, plugin and version
 */
public record AppLicenses(List<AppLicense> licenses) {
    public static final int DEFAULT = 0;
    public static final int WORKSTATION = 1;
    public static final int RENDER_FARM = 2;
    public static final int CLOUD = 3;
    public static final int REGIONS = 4;
    /** Region names by index. */
    public static final List<String> REGION_NAMES = List.of("Default", "Workstation", "Render Farm", "Cloud");
    static final int NAME_BYTES = 100;

    public AppLicenses {
        licenses = List.copyOf(licenses);
    }

    public int getCount() {
        return licenses.size();
    }

    public AppLicense getLicense(int idx) {
        return licenses.get(idx);
    }

    public static AppLicenses load(Path file) throws StatsFormatException {
        return decode(StatsContainer.load(file, StatsKind.APP_LICENSES), file.toString());
    }

    public static AppLicenses decode(ByteBuffer payload, String source) throws StatsFormatException {
        BinaryReader r = new BinaryReader(payload, source);
        int n = r.count(r.u16("licence count"), 0xFFFF, 2 + 4 + REGIONS * 9, "licence count");
        List<AppLicense> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String app = r.str8(NAME_BYTES, "render app name");
            String plugin = r.str8(NAME_BYTES, "plugin name");
            int version = r.i32("version");
            List<LicenseRegion> regions = new ArrayList<>(REGIONS);
            for (int g = 0; g < REGIONS; g++) {
                int count = r.i32("licCount");
                int flags = r.u8("flags");
                if ((flags & ~3) != 0) {
                    throw r.bad("licence flags 0x" + Integer.toHexString(flags) + " of " + app + " use unknown bits");
                }
                regions.add(new LicenseRegion(count, (flags & 1) != 0, (flags & 2) != 0, r.f32("cost")));
            }
            list.add(new AppLicense(app, plugin, version, regions));
        }
        if (r.remaining() != 0) {
            throw new StatsFormatException(StatsFormatException.Reason.TRAILING_DATA,
                    source + ": " + r.remaining() + " unexpected bytes after the last licence");
        }
        return new AppLicenses(list);
    }

    public ByteBuffer encode() {
        BinaryWriter w = new BinaryWriter(256);
        w.u16(licenses.size(), "licence count");
        for (AppLicense l : licenses) {
            w.str8(l.renderAppName(), NAME_BYTES, "render app name").str8(l.pluginName(), NAME_BYTES, "plugin name")
                    .i32(l.version());
            for (LicenseRegion g : l.regions()) {
                w.i32(g.licCount()).u8((g.typeSet() ? 1 : 0) | (g.unlimited() ? 2 : 0), "flags").f32(g.cost());
            }
        }
        return w.toBuffer();
    }

    public void write(Path file) throws IOException {
        StatsContainer.write(file, StatsKind.APP_LICENSES, encode());
    }
}
