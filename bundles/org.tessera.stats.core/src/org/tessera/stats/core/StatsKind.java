// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.util.Optional;

/**
 * The seven built-in kinds of stats files, with the id stored in bytes 4-5 of every file header and
 * the name used on the command line ({@code tessera stats export --kind daily}).
 */
public enum StatsKind {
    /** Per-day job stats of users, projects and render apps in 96 slots of 15 min ({@code _dailyStats_data}). */
    DAILY(1, "daily"),
    /** Server stats: day, month and year rings ({@code _rrGlobalStatsLS}). */
    SERVER(2, "server"),
    /** One render node's stats for 180 days ({@code _rrClientStats_data}). */
    CLIENT(3, "client"),
    /** Per-frame stats of one job ({@code _frameStatJob}). */
    FRAMES(4, "frames"),
    /** Average frame times of the last 100 jobs per project and layer ({@code _StatsRenderTime}). */
    RENDER_TIMES(5, "rendertimes"),
    /** Known render nodes with their IPs and wake-on-LAN history ({@code _server_clientInfo}). */
    CLIENT_INFO(6, "clientinfo"),
    /** Render licence counts per app in four regions ({@code _AppLicenses_v8}). */
    APP_LICENSES(7, "licenses");

    private final int id;
    private final String cliName;

    StatsKind(int id, String cliName) {
        this.id = id;
        this.cliName = cliName;
    }

    /** The id in the file header. */
    public int id() {
        return id;
    }

    /** The name on the command line. */
    public String cliName() {
        return cliName;
    }

    public static Optional<StatsKind> ofId(int id) {
        for (StatsKind k : values()) {
            if (k.id == id) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    public static Optional<StatsKind> ofName(String name) {
        for (StatsKind k : values()) {
            if (k.cliName.equalsIgnoreCase(name) || k.name().equalsIgnoreCase(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
