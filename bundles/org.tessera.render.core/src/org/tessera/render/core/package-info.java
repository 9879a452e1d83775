// SPDX-License-Identifier: EPL-2.0
/**
 * The tiling renderer's API: the {@link org.tessera.render.core.RenderEngine} extension point that
 * render engines implement, the {@link org.tessera.render.core.TileRenderer} service that renders a
 * scene folder for a frame range into finished image files, the {@link org.tessera.render.core.TileWorker}
 * contract for places tiles can be rendered (in-process workers now, cluster nodes later), and the
 * EventAdmin topics of {@link org.tessera.render.core.RenderEvents}.
 * <p>
 * Pixel coordinates are integers with the origin at the top-left corner of the image, x to the right
 * and y downwards. Pixel values are linear 16-bit unsigned samples per channel (0..65535), RGB.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.tessera.render.core;
