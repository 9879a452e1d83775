// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.util.List;

/**
 * What the server remembers of one node ({@code _Client_Info_save}).
 *
 * @param lastConnect last status report, seconds since 1970
 * @param lastWolTry last wake-on-LAN command, seconds since 1970
 * @param wolTryCount wake-on-LAN commands without success (UInt8)
 * @param name node name (at most 50 UTF-8 bytes)
 * @param version last known node version (at most 10 UTF-8 bytes)
 * @param lastIps {@link ClientInfo#maxIPCount()} entries, index 0 the latest; unset ones are {@link IpRecord#NONE}
 * @param lastWols {@link ClientInfo#maxWOLCount()} entries, index 0 the latest
 */
public record ClientInfoEntry(long lastConnect, long lastWolTry, int wolTryCount, String name, String version,
        List<IpRecord> lastIps, List<WolInfo> lastWols) {
    public ClientInfoEntry {
        lastIps = List.copyOf(lastIps);
        lastWols = List.copyOf(lastWols);
    }

    public IpRecord lastIP(int idx) {
        return lastIps.get(idx);
    }

    public WolInfo lastWOL(int idx) {
        return lastWols.get(idx);
    }
}
