// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench;

import java.util.Map;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;

/**
 * Workbench settings kept in Eclipse instance-scope preferences (the workspace's
 * {@code .metadata/.plugins/org.eclipse.core.runtime/.settings/org.tessera.workbench.prefs}), with the
 * defaults that make the first run work. The node token is not here: it lives in secure storage
 * ({@link NodeTokenStore}).
 */
public final class TesseraPreferences {
    /** Preference node (qualifier) of every key below. */
    public static final String QUALIFIER = "org.tessera.workbench";
    /** TCP port of the render tracker's XML-RPC endpoint. */
    public static final String TRACKER_PORT = "tracker.port";
    /** Tracker database: blank for the embedded H2 file, else a JDBC URL (e.g. PostgreSQL). */
    public static final String TRACKER_DATABASE = "tracker.database";
    /** Base URL of the Envoy gateway cloud submissions go to. */
    public static final String GATEWAY_URL = "cloud.gateway.url";
    /** Render engine preselected in the render view. */
    public static final String DEFAULT_ENGINE = "render.engine";
    /** Tile edge in pixels preselected in the render view. */
    public static final String TILE_SIZE = "render.tileSize";
    /** Folder of the stats files: blank for the workspace's {@code stats} folder (configuration org.tessera.stats.recorder). */
    public static final String STATS_FOLDER = "stats.folder";

    /** Defaults of every key. */
    public static final Map<String, String> DEFAULTS = Map.of(
            TRACKER_PORT, "5050",
            TRACKER_DATABASE, "",
            GATEWAY_URL, "http://127.0.0.1:8090",
            DEFAULT_ENGINE, "raytracer",
            TILE_SIZE, "64",
            STATS_FOLDER, "");

    private TesseraPreferences() {
    }

    /** The instance-scope node the values are stored in. */
    public static IEclipsePreferences node() {
        return InstanceScope.INSTANCE.getNode(QUALIFIER);
    }

    /** The stored value, else the default. */
    public static String get(String key) {
        return node().get(key, DEFAULTS.getOrDefault(key, ""));
    }

    /** The stored value as a number, else the default (also when the stored text is not a number). */
    public static int getInt(String key) {
        try {
            return Integer.parseInt(get(key).trim());
        } catch (NumberFormatException e) {
            return Integer.parseInt(DEFAULTS.get(key));
        }
    }
}
