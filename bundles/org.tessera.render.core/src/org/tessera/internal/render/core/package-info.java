// SPDX-License-Identifier: EPL-2.0
/**
 * Implementation of the tiling renderer: the tile scheduler, in-process workers, frame canvases, the
 * PNG codec with atomic writes, the DS component and the {@code tessera render} verb.
 */
package org.tessera.internal.render.core;
