// SPDX-License-Identifier: EPL-2.0
/**
 * Help &gt; Install Plugins...: a dialog on {@link org.tessera.plugins.core.PluginInstaller} that adds p2
 * repositories, lists available and installed features, installs and uninstalls them, applies the change
 * without a restart where the bundles allow and offers a restart otherwise; and its documented self-test
 * ({@link org.tessera.internal.plugins.ui.PluginsSelfTest}).
 */
package org.tessera.internal.plugins.ui;
