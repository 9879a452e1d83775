// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tessera.cluster.core.ClusterService;
import org.tessera.core.FrameRange;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;
import org.tessera.internal.render.core.LocalCluster;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderJob;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.TileRenderer;
import org.tessera.render.raytracer.RaytracerScenes;

/**
 * {@code tessera render-bench}: the renderer's benchmarks, as ratios measured in one run (not a test):
 * native vs Java kernel, Mrays/s per core, built-in native engine vs POV-Ray on the exported scene,
 * and POV-Ray's benchmark.pov in bands on local workers vs one multi-threaded povray.
 */
@Component(service = Verb.class)
public class RenderBenchVerb implements Verb {

    @Reference
    private TileRenderer renderer;

    @Override
    public String name() {
        return "render-bench";
    }

    @Override
    public String summary() {
        return "benchmark the renderers: native vs Java kernel, built-in vs POV-Ray, tiles vs one povray";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera render-bench [--size WxH] [--aa N] [--scene spheres|teapot] [--skip-povray-benchmark]
                                            [--rounds N] [--work DIR]

                Runs, in one process and one run, single-threaded unless said otherwise:
                  1. the built-in raytracer's native (C via FFM) and Java kernels on an example scene
                     (Java timed after one warm-up render), in Mrays/s per core (primary rays);
                  2. the built-in engine (native) against POV-Ray on the same scene exported as .pov, at
                     the same size and samples per pixel (POV-Ray: +A0.0 +AM1 +R<aa>), times including
                     scene loading and POV-Ray's start;
                  3. POV-Ray's benchmark.pov at 320x240 in 2 bands on 2 local node servers (1 thread
                     each, 2 in total) against one `povray +WT2`: a first render of a scene copy no run
                     has seen (equal-height bands), then --rounds N (default 3) rounds of one
                     `povray +WT2` and one next render (bands of equal measured cost), interleaved;
                     medians and their ratio (skipped with --skip-povray-benchmark; about 4 minutes).
                Results are ratios; copy them into docs/performance.md.

                Options: --size (default 320x240), --aa (default 2), --scene (default spheres),
                         --work (scratch folder, kept; default a temporary one, removed at the end)""";
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        VerbArguments a = VerbArguments.parse(args, Set.of("size", "aa", "scene", "work", "rounds"),
                Set.of("skip-povray-benchmark"));
        int rounds = a.intValue("rounds", 3, 1, 20);
        String[] wh = a.value("size", "320x240").split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        int aa = a.intValue("aa", 2, 1, 8);
        Optional<Path> given = a.value("work").map(context::resolve);
        // a scratch folder of our own is removed at the end, however the run ends; a --work folder is the user's
        Path work = given.isPresent() ? given.get() : Files.createTempDirectory("tessera-bench");
        try {
            return bench(a, rounds, w, h, aa, work, context);
        } catch (Exception e) {
            if (context.isCancelled()) { // Ctrl-C: the povray engine's shutdown hook killed a running render
                return cancelled(context);
            }
            throw e;
        } finally {
            if (given.isEmpty()) {
                deleteTree(work, context);
            }
        }
    }

    private int bench(VerbArguments a, int rounds, int w, int h, int aa, Path work, VerbContext context) throws Exception {
        Path scenes = copyScenes(work.resolve("scenes"));
        Path json = scenes.resolve(a.value("scene", "spheres") + ".json");
        RenderScene scene = RenderScene.ofFile(json);
        RenderSettings s = RenderSettings.of(w, h).withAntialias(aa);
        var out = context.out();
        out.printf(Locale.ROOT, "Tessera render benchmark: %s %dx%d, %dx%d samples/pixel, %d cores, Java %s%n",
                json.getFileName(), w, h, aa, aa, Runtime.getRuntime().availableProcessors(), Runtime.version());
        double rays = (double) w * h * aa * aa;

        // 1. kernels
        Raytracer java = Raytracer.java();
        java.renderTile(scene, s.fullFrame(), s);
        double javaS = time(() -> java.renderTile(scene, s.fullFrame(), s));
        Optional<Raytracer> nat = Raytracer.nativeRaytracer();
        double nativeS = Double.NaN;
        if (nat.isPresent()) {
            nat.get().renderTile(scene, s.fullFrame(), s);
            nativeS = time(() -> nat.get().renderTile(scene, s.fullFrame(), s));
        } else {
            out.println("native kernel unavailable: " + Raytracer.nativeProblem());
        }
        out.printf(Locale.ROOT, "1. kernel, 1 thread:  java %.3f s (%.2f Mrays/s)   native %.3f s (%.2f Mrays/s)   native/java speed-up %.2fx%n",
                javaS, rays / javaS / 1e6, nativeS, rays / nativeS / 1e6, javaS / nativeS);
        // Ctrl-C is checked between steps, so the run ends (and its scratch folder goes) within the grace time
        if (context.isCancelled()) {
            return cancelled(context);
        }

        // 2. built-in (native, cold: fresh raytracer incl. scene load and BVH) vs POV-Ray on the exported scene
        Optional<RenderEngine> povray = renderer.engine("povray");
        if (povray.isEmpty()) {
            out.println("2./3. skipped: the povray engine is not installed");
            return ExitCodes.OK;
        }
        Path pov = work.resolve(json.getFileName().toString().replace(".json", ".pov"));
        RaytracerScenes.exportPov(json, 0, w, h, pov);
        RenderScene povScene = RenderScene.ofFile(pov);
        Raytracer fresh = Raytracer.create();
        double builtS = time(() -> fresh.renderTile(scene, s.fullFrame(), s));
        double povS = time(() -> povray.get().renderTile(povScene, 1, s.fullFrame(), s));
        out.printf(Locale.ROOT, "2. same scene, 1 thread: built-in %s %.3f s   povray %.3f s   built-in speed-up %.2fx%n",
                fresh.kernelName(), builtS, povS, povS / builtS);
        if (context.isCancelled()) {
            return cancelled(context);
        }

        // 3. benchmark.pov: 2 bands on 2 local workers vs one povray +WT2
        if (a.flag("skip-povray-benchmark")) {
            return ExitCodes.OK;
        }
        Path bench = Path.of("/usr/share/povray-3.7/scenes/advanced/benchmark/benchmark.pov");
        if (!Files.exists(bench)) {
            out.println("3. skipped: " + bench + " not found (apt-get install povray-examples)");
            return ExitCodes.OK;
        }
        RenderScene benchScene = RenderScene.ofFile(bench);
        RenderSettings b = RenderSettings.of(320, 240).withThreads(2);
        // a copy that no earlier run has seen (a unique comment line): its first render knows no row costs
        Path copyDir = Files.createDirectories(work.resolve("benchmark-" + System.nanoTime()));
        Path outDir = Files.createDirectories(work.resolve("benchmark-out-" + System.nanoTime()));
        Path copy = copyDir.resolve("benchmark.pov");
        Files.writeString(copy, Files.readString(bench, StandardCharsets.ISO_8859_1)
                + "\n// tessera render-bench " + UUID.randomUUID() + "\n", StandardCharsets.ISO_8859_1);
        // two node servers (each the `tessera node serve` verb, over loopback HTTP) and the cluster service on
        // them, started before the clock runs, as a farm's nodes are; each band is one 1-thread povray
        BundleContext bc = FrameworkUtil.getBundle(RenderBenchVerb.class).getBundleContext();
        ServiceReference<ClusterService> ref = bc.getServiceReference(ClusterService.class);
        ClusterService cluster = ref == null ? null : bc.getService(ref);
        double[] one = new double[rounds];
        double[] next = new double[rounds];
        double coldS;
        double coldOneS;
        try (LocalCluster nodes = LocalCluster.start(bc, cluster, 2, copyDir)) {
            coldOneS = time(() -> povray.get().renderTile(benchScene, 1, b.fullFrame(), b));
            coldS = renderOnNodes(copy, outDir.resolve("first_#.png"), context);
            // then rounds of (one povray +WT2, the next render on the nodes), interleaved so drift hits both
            for (int i = 0; i < rounds && !context.isCancelled(); i++) {
                one[i] = time(() -> povray.get().renderTile(benchScene, 1, b.fullFrame(), b));
                next[i] = renderOnNodes(copy, outDir.resolve("next" + i + "_#.png"), context);
            }
        }
        if (context.isCancelled()) {
            return cancelled(context);
        }
        out.printf(Locale.ROOT, "3. benchmark.pov 320x240 on 2 local nodes (2 bands, 1 povray thread each) vs one `povray +WT2`:%n");
        out.printf(Locale.ROOT, "   first render of the scene (equal-height bands): %.1f s vs %.1f s   ratio %.3fx (goal <= 1.05)%n",
                coldS, coldOneS, coldS / coldOneS);
        StringBuilder per = new StringBuilder();
        for (int i = 0; i < rounds; i++) {
            per.append(String.format(Locale.ROOT, "%s%.1f/%.1f s = %.3fx", i == 0 ? "" : ", ", next[i], one[i], next[i] / one[i]));
        }
        double nextMedian = median(next);
        double oneMedian = median(one);
        out.printf(Locale.ROOT, "   next renders (bands of equal measured cost), %d rounds: %s%n", rounds, per);
        out.printf(Locale.ROOT, "   median %.1f s vs %.1f s   ratio %.3fx (goal <= 1.05)%n", nextMedian, oneMedian,
                nextMedian / oneMedian);
        return ExitCodes.OK;
    }

    /** Removes {@code dir} and everything below it; what cannot be removed is named on stderr. */
    private static void deleteTree(Path dir, VerbContext context) {
        List<Path> left = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    left.add(p);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            left.add(dir);
        }
        if (!left.isEmpty()) {
            context.err().println("render-bench: could not remove the scratch folder " + dir + " (" + left.size()
                    + " paths left, e.g. " + left.get(0) + ")");
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static int cancelled(VerbContext context) {
        context.err().println("render-bench: cancelled");
        return ExitCodes.CANCELLED;
    }

    /**
     * Renders frame 1 of {@code scene} with POV-Ray on the running cluster; seconds from start to the written
     * frame, NaN when Ctrl-C cancelled the job.
     */
    private double renderOnNodes(Path scene, Path out, VerbContext context) throws Exception {
        long t0 = System.nanoTime();
        RenderJob job = renderer.start(RenderRequest.of(RenderScene.ofFile(scene), FrameRange.single(1), 320, 240,
                out.toString()).withEngine("povray"), null);
        RenderResult r;
        while ((r = job.await(Duration.ofMillis(200))) == null) {
            if (context.isCancelled()) {
                job.cancel();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (r.state() == JobState.CANCELLED && context.isCancelled()) {
            return Double.NaN;
        }
        if (r.state() != JobState.FINISHED) {
            throw new IllegalStateException("tiled benchmark render failed: " + r.error());
        }
        return seconds;
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private static double time(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Path copyScenes(Path dir) throws Exception {
        Files.createDirectories(dir);
        Bundle bundle = FrameworkUtil.getBundle(RenderBenchVerb.class);
        List<String> names = new ArrayList<>(List.of("spheres.json", "teapot.json", "teapot.obj"));
        for (String n : names) {
            var url = bundle.getEntry("scenes/" + n);
            if (url != null) {
                try (var in = url.openStream()) {
                    Files.copy(in, dir.resolve(n), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dir;
    }
}
