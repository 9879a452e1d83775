// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.util.List;

/**
 * Licence settings of one render app, plugin and version, in the four regions
 * ({@link AppLicenses#DEFAULT}, {@link AppLicenses#WORKSTATION}, {@link AppLicenses#RENDER_FARM},
 * {@link AppLicenses#CLOUD}).
 *
 * @param renderAppName e.g. Maya, Nuke, Arnold (at most 100 UTF-8 bytes)
 * @param pluginName e.g. Yeti; empty for the app itself (at most 100 UTF-8 bytes)
 * @param version the app version this applies to
 * @param regions exactly four
 */
public record AppLicense(String renderAppName, String pluginName, int version, List<LicenseRegion> regions) {
    public AppLicense {
        regions = List.copyOf(regions);
        if (regions.size() != AppLicenses.REGIONS) {
            throw new IllegalArgumentException("an app licence has " + AppLicenses.REGIONS + " regions, not " + regions.size());
        }
    }

    public int getLicCount(int region) {
        return regions.get(region).licCount();
    }

    public boolean getIsTypeSet(int region) {
        return regions.get(region).typeSet();
    }

    public boolean getIsUnlimited(int region) {
        return regions.get(region).unlimited();
    }

    public float getCost(int region) {
        return regions.get(region).cost();
    }
}
