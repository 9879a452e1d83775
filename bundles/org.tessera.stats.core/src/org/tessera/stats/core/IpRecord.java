// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

/**
 * An address a node reported, and when ({@code lastIPs}/{@code lastIPDate}).
 *
 * @param address an IPv4 or IPv6 literal; empty for an unset entry
 * @param date when the node first reported it, seconds since 1970
 */
public record IpRecord(String address, long date) {
    public static final IpRecord NONE = new IpRecord("", 0);

    public boolean isSet() {
        return !address.isEmpty();
    }
}
