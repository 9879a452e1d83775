// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PrimitiveIterator;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tessera.core.FrameRange;
import org.tessera.render.core.FramePattern;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderJob;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.TileRenderer;

/**
 * The farm as the gateway sees it, backed by the {@link TileRenderer}: products are the installed
 * render engines (code = engine name, version = the renderer's own, {@link RenderEngine#version()}), machine instances are the
 * renderer's local workers, and node-seconds are wall time times instances.
 */
@Component(service = FarmRenderer.class)
public class TileFarmRenderer implements FarmRenderer {
    private static final String PATTERN = "frame_####.png";

    @Reference
    private TileRenderer renderer;

    @Override
    public List<EngineProduct> products() {
        List<EngineProduct> list = new ArrayList<>();
        for (RenderEngine e : renderer.engines()) {
            list.add(new EngineProduct(e.name(), e.version(), "Tessera " + e.name() + " engine"));
        }
        return list;
    }

    private static int intParam(Map<String, String> params, String key, int fallback) {
        try {
            return params.containsKey(key) ? Integer.parseInt(params.get(key)) : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The text of job param {@code povray_ini}: an INI file of the project, named relative to the scene's folder. */
    private static String povrayIni(Path scene, String name) throws java.io.IOException {
        if (name == null || name.isBlank()) {
            return "";
        }
        Path folder = scene.toAbsolutePath().normalize().getParent();
        Path ini = folder.resolve(name.strip().replaceFirst("^/+", "")).normalize();
        if (!ini.startsWith(folder) || !Files.isRegularFile(ini)) {
            throw new java.io.IOException("povray_ini " + name + " is no file of the project next to the scene");
        }
        return Files.readString(ini, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void render(Path scene, String app, FrameRange frames, int instances, Map<String, String> params,
            Path outputFolder, FrameListener listener, BooleanSupplier cancelled) throws Exception {
        // a job without a size renders at the scene's own where the engine knows it (Blender: Envoy's blender
        // product has no size parameters), else at 320x240
        int[] own = null;
        if (!params.containsKey("output_width") || !params.containsKey("output_height") || !params.containsKey("output_bits")) {
            RenderEngine engine = renderer.engine(app).orElse(null);
            own = engine == null ? null : engine.sceneOutput(RenderScene.ofFile(scene));
        }
        RenderRequest request = RenderRequest.of(RenderScene.ofFile(scene), frames,
                intParam(params, "output_width", own != null ? own[0] : 320),
                intParam(params, "output_height", own != null ? own[1] : 240),
                outputFolder.resolve(PATTERN).toString()).withEngine(app).withLocalWorkers(instances)
                .withBitDepth(intParam(params, "output_bits", own != null ? own[2] : 8))
                .withEngineOptions(params.get("povray_options"), povrayIni(scene, params.get("povray_ini")));
        FramePattern pattern = FramePattern.of(outputFolder.resolve(PATTERN).toString());
        Set<Integer> reported = new HashSet<>();
        long[] last = {System.nanoTime()};
        Object lock = new Object();
        RenderJob[] job = new RenderJob[1];
        Runnable report = () -> {
            synchronized (lock) {
                PrimitiveIterator.OfInt it = frames.intIterator();
                while (it.hasNext()) {
                    int f = it.nextInt();
                    Path file = pattern.file(outputFolder, f);
                    if (!reported.contains(f) && Files.isRegularFile(file)) {
                        reported.add(f);
                        long now = System.nanoTime();
                        listener.frameDone(f, file, (now - last[0]) / 1e9 * instances);
                        last[0] = now;
                        if (cancelled.getAsBoolean() && job[0] != null) {
                            job[0].cancel();
                            return;
                        }
                    }
                }
            }
        };
        // frames already in the folder (a suspended run's) are skipped by the renderer: report them
        // first, at no cost, so the caller counts every frame of the job
        PrimitiveIterator.OfInt existing = frames.intIterator();
        while (existing.hasNext()) {
            int f = existing.nextInt();
            Path file = pattern.file(outputFolder, f);
            if (Files.isRegularFile(file)) {
                reported.add(f);
                listener.frameDone(f, file, 0);
            }
        }
        last[0] = System.nanoTime();
        job[0] = renderer.start(request, progress -> report.run());
        while (true) {
            RenderResult result = job[0].await(Duration.ofMillis(100));
            if (cancelled.getAsBoolean()) {
                job[0].cancel();
            }
            if (result != null) {
                report.run();
                if (result.state() == JobState.FAILED) {
                    throw new Exception(result.error());
                }
                return;
            }
        }
    }
}
