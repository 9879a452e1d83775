// SPDX-License-Identifier: EPL-2.0
/**
 * Implementation of the stats bundle: bounds-checked little-endian reader and writer, the common
 * file header, the DS components for each file kind, the recorder, and the {@code tessera stats} verb.
 */
package org.tessera.internal.stats.core;
