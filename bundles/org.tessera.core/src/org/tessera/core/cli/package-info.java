// SPDX-License-Identifier: EPL-2.0
/**
 * Contracts for the headless command line: any bundle contributes a {@code tessera <verb>} by
 * registering a {@link org.tessera.core.cli.Verb} service.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.tessera.core.cli;
