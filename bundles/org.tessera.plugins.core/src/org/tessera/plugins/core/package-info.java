// SPDX-License-Identifier: EPL-2.0
/**
 * Installing and removing plugins (features from p2 repositories) in the running product, on the p2
 * operations API: {@link org.tessera.plugins.core.PluginInstaller} adds repositories (a URL or a local
 * folder), lists the features they offer and those installed, installs and uninstalls them, and applies
 * the change to the running framework without a restart where the bundles allow
 * ({@link org.tessera.plugins.core.PluginChange#restartNeeded()} says when they do not). The workbench's
 * Help &gt; Install Plugins... dialog is built on it.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tessera.plugins.core;
