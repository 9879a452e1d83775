// SPDX-License-Identifier: EPL-2.0
/**
 * An example third-party plugin for Tessera, written only against Tessera's public API and installed
 * from a p2 repository: a checkerboard "debug" image generator. See docs/extending.md.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tessera.examples.checker;
