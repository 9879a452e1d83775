// SPDX-License-Identifier: EPL-2.0
/**
 * Shared value types and service interfaces of Tessera: frame ranges and their grammar,
 * event topic roots, and the contracts every area bundle builds on.
 */
@org.osgi.annotation.versioning.Version("0.3.0")
package org.tessera.core;
