// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

/**
 * One region's licence setting of an app ({@code _AppLicenses_v8_licItem} per region).
 *
 * @param licCount licence count
 * @param typeSet the region is set; when not, the "Default" region's count applies
 * @param unlimited unlimited licences (count ignored)
 * @param cost cost per job used to compute job costs (currency units of the farm)
 */
public record LicenseRegion(int licCount, boolean typeSet, boolean unlimited, float cost) {
    public static final LicenseRegion UNSET = new LicenseRegion(0, false, false, 0f);
}
