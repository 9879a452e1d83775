// SPDX-License-Identifier: EPL-2.0
package org.tessera.plugins.core;

import java.util.List;

/**
 * What an install or uninstall did to the running product.
 *
 * @param action   {@code install} or {@code uninstall}
 * @param features the features (ids) it was asked for
 * @param applied  whether the new configuration was applied to the running framework (bundles installed,
 *                 resolved and started, or uninstalled) rather than left for the next start
 * @param bundles  the bundles it added and started, or removed, as {@code symbolicName_version}
 * @param problems what could not be applied without a restart, one sentence each; empty when none
 */
public record PluginChange(String action, List<String> features, boolean applied, List<String> bundles,
        List<String> problems) {

    public PluginChange {
        features = List.copyOf(features);
        bundles = List.copyOf(bundles);
        problems = List.copyOf(problems);
    }

    /** True when the change takes full effect only after the application restarts. */
    public boolean restartNeeded() {
        return !applied || !problems.isEmpty();
    }
}
