// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import java.util.EnumSet;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.tessera.render.core.EngineCapability;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TilePlan;
import org.tessera.render.raytracer.RaytracerScenes;

/** The built-in engine as a {@link RenderEngine} service: JSON scenes, many small tiles. */
@Component(service = RenderEngine.class)
public class RaytracerEngine implements RenderEngine {
    /** Tile side in pixels: small, since a tile costs no start-up. */
    static final int TILE = 32;

    private Raytracer raytracer;

    @Activate
    void activate() {
        raytracer = Raytracer.create();
    }

    /** The kernel in use, {@code "native"} or {@code "java"}. */
    public String kernelName() {
        return raytracer.kernelName();
    }

    @Override
    public String name() {
        return RaytracerScenes.ENGINE;
    }

    @Override
    public Set<EngineCapability> capabilities() {
        return EnumSet.allOf(EngineCapability.class);
    }

    @Override
    public boolean accepts(RenderScene scene) {
        return scene.extension().equals("json");
    }

    @Override
    public TilePlan planTiles(int width, int height, int workers) {
        return TilePlan.grid(width, height, TILE, TILE);
    }

    @Override
    public TilePixels renderTile(RenderScene scene, int frame, Tile tile, RenderSettings settings) throws RenderException {
        return raytracer.renderTile(scene, tile, settings);
    }
}
