// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

/** Which machine types {@link EnvoyClient#getMachines} lists. */
public enum MachineCategory {
    CPU, GPU, ALL;

    /** The wire form, lower case. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
