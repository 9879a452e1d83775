// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/** What a {@link RenderEngine} can do beyond rendering one still image. */
public enum EngineCapability {
    /** Honours {@link RenderSettings#clock()} so a frame range renders an animation. */
    ANIMATION_CLOCK,
    /** Honours {@link RenderSettings#antialias()} above 1. */
    ANTIALIASING,
    /** Renders a stereo camera's left or right eye ({@link RenderSettings#eye()}). */
    STEREO,
    /**
     * Cuts frames into a grid of tiles whose size the request may choose ({@link RenderRequest#tileSize()}):
     * any rectangle costs about the same per pixel. Engines without it keep their own
     * {@link RenderEngine#planTiles plan} whatever the request asks.
     */
    TILE_GRID
}
