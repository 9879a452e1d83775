// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.tessera.workbench.TesseraPreferences;

/**
 * The workbench's Preferences as configurations: each preference that sets a service is written into that
 * service's configuration (Configuration Admin) at start and whenever it changes, so it applies to the
 * running services. A blank preference removes the property (the service's default applies). Secrets are
 * never written: they reach the services through the workbench's Credentials service.
 */
public final class PreferenceConfigurations {
    /** Preference key → {configuration PID, property}. */
    static final Map<String, String[]> MAPPING = Map.of(
            TesseraPreferences.TRACKER_DATABASE, new String[] { "org.tessera.tracker", "database" },
            TesseraPreferences.STATS_FOLDER, new String[] { "org.tessera.stats.recorder", "folder" });

    private static ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker;
    private static IEclipsePreferences.IPreferenceChangeListener listener;

    private PreferenceConfigurations() {
    }

    /** Writes the preferences into the configurations now, and again whenever one changes (idempotent). */
    public static synchronized void install() {
        if (tracker != null) {
            return;
        }
        var bundle = FrameworkUtil.getBundle(PreferenceConfigurations.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) {
            return;
        }
        tracker = new ServiceTracker<>(context, ConfigurationAdmin.class, null) {
            @Override
            public ConfigurationAdmin addingService(ServiceReference<ConfigurationAdmin> reference) {
                ConfigurationAdmin cm = super.addingService(reference);
                apply(cm);
                return cm;
            }
        };
        tracker.open();
        listener = event -> {
            ConfigurationAdmin cm = tracker.getService();
            if (cm != null && MAPPING.containsKey(event.getKey())) {
                apply(cm);
            }
        };
        TesseraPreferences.node().addPreferenceChangeListener(listener);
    }

    /** Writes every mapped preference into its configuration. */
    public static void apply(ConfigurationAdmin cm) {
        for (var e : MAPPING.entrySet()) {
            String value = TesseraPreferences.get(e.getKey()).strip();
            try {
                set(cm, e.getValue()[0], e.getValue()[1], value.isEmpty() ? null : value);
            } catch (IOException | RuntimeException ex) {
                System.err.println("tessera workbench: cannot write the preference " + e.getKey()
                        + " into the configuration " + e.getValue()[0] + ": " + ex.getMessage());
            }
        }
    }

    private static void set(ConfigurationAdmin cm, String pid, String key, String value) throws IOException {
        Configuration config = cm.getConfiguration(pid, "?");
        Dictionary<String, Object> old = config.getProperties();
        if (old == null && value == null) {
            return; // nothing configured, nothing to remove: the service keeps its defaults
        }
        Hashtable<String, Object> props = new Hashtable<>();
        if (old != null) {
            for (var keys = old.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                props.put(k, old.get(k));
            }
        }
        if (value == null) {
            props.remove(key);
        } else {
            props.put(key, value);
        }
        config.updateIfDifferent(props);
    }
}
