// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.tessera.render.core.EngineCapability;
import org.tessera.render.core.EngineOptionsException;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TilePlan;
import org.tessera.render.raytracer.RaytracerScenes;

/**
 * The built-in engine as a {@link RenderEngine} service: JSON scenes, many small tiles. Its one engine
 * option, {@code kernel=embree|native|java}, pins the kernel kind of a job: a node that lacks that kernel
 * answers "engine unavailable" and the scheduler hands the tile to another node, so a frame is never
 * assembled from kernels whose pixels differ. Without the option each place renders with its best kernel.
 */
@Component(service = RenderEngine.class)
public class RaytracerEngine implements RenderEngine {
    /** Tile side in pixels: small, since a tile costs no start-up. */
    public static final int TILE = 32;

    private Raytracer raytracer;
    private final Map<String, Raytracer> pinned = new ConcurrentHashMap<>();

    @Activate
    void activate() {
        raytracer = Raytracer.create().withAllCores();
    }

    /** The kernel in use without a {@code kernel=} option: {@code "embree"}, {@code "native"} or {@code "java"}. */
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
    public void checkOptions(String options, String ini) throws EngineOptionsException {
        kernelOption(options, ini);
    }

    /** The kernel kind {@code options} pin, or null for none. */
    static String kernelOption(String options, String ini) throws EngineOptionsException {
        if (!ini.isBlank()) {
            throw new EngineOptionsException("the raytracer engine takes no options of its own (got 'an INI file') but "
                    + "kernel=embree|native|java; options and INI files are for POV-Ray scenes");
        }
        String o = options.strip();
        if (o.isEmpty()) {
            return null;
        }
        if (o.startsWith("kernel=")) {
            String kind = o.substring("kernel=".length());
            if (kind.equals("embree") || kind.equals("native") || kind.equals("java")) {
                return kind;
            }
        }
        throw new EngineOptionsException("the raytracer engine takes no options of its own (got '" + o + "') but "
                + "kernel=embree|native|java; options and INI files are for POV-Ray scenes");
    }

    @Override
    public TilePixels renderTile(RenderScene scene, int frame, Tile tile, RenderSettings settings) throws RenderException {
        String kind = kernelOption(settings.engineOptions(), settings.engineIni());
        Raytracer rt = raytracer;
        if (kind != null && !kind.equals(rt.kernelName())) {
            rt = pinned.get(kind);
            if (rt == null) {
                Optional<Raytracer> k = Raytracer.ofKind(kind);
                if (k.isEmpty()) {
                    throw new EngineUnavailableException("the raytracer's " + kind + " kernel is not available here: "
                            + (kind.equals("embree") ? Raytracer.embreeProblem() : Raytracer.nativeProblem()));
                }
                rt = k.get().withAllCores();
                pinned.put(kind, rt);
            }
        }
        rt.noticeOnce();
        return rt.renderTile(scene, tile, settings);
    }
}
