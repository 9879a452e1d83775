// SPDX-License-Identifier: EPL-2.0
/**
 * The Blender render engine: runs the installed {@code blender} in background mode once per tile, a
 * Cycles border render of the tile's rows (plus a margin where adaptive sampling needs one) under the
 * scene sandbox, with Python auto-execution of the scene disabled, and crops the tile from its 16-bit PNG.
 */
package org.tessera.internal.render.blender;
