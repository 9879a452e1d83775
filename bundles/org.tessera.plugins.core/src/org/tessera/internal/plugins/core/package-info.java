// SPDX-License-Identifier: EPL-2.0
/**
 * The {@code org.tessera.plugins.core.app} application behind {@code tessera plugins}: the command line's
 * install, uninstall, list and available, run inside the product they change, on the same
 * {@link org.tessera.plugins.core.PluginInstaller} as the workbench's Install Plugins dialog.
 */
package org.tessera.internal.plugins.core;
