// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.bench;

import org.tessera.internal.render.raytracer.Raytracer;
import org.tessera.internal.render.raytracer.RaytracerEngine;

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
 * the Embree, native and Java kernels per scene (spheres, bunny, teapot), Mrays/s per core and per node,
 * the built-in engine vs POV-Ray on the exported scene, and POV-Ray's benchmark.pov in bands on local
 * workers vs one multi-threaded povray.
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
                Usage: tessera render-bench [--size WxH] [--aa N] [--runs N] [--scenes LIST] [--skip-povray-benchmark]
                                            [--rounds N] [--work DIR]

                Runs, in one process and one run, single-threaded unless said otherwise:
                  1. the built-in raytracer's kernels on each scene of --scenes (default spheres,bunny,teapot):
                     java, native (the C twin, double precision) and embree (Intel Embree 3, single precision,
                     packets), after one warm-up render each, --runs N (default 5) runs interleaved; medians
                     with min-max, Mrays/s per core (primary rays), embree/java and native/java speed-ups as
                     the median of the per-run ratios with their min-max, by wall time and by the thread's
                     CPU time (steadier on a shared machine);
                  2. a node's throughput: the default kernel renders the frame's 32x32 tiles on 1 thread, then as
                     a node does (2 tiles in flight, each tile's rows on all cores), Mrays/s and the scaling;
                  3. the built-in engine (default kernel) against POV-Ray on the same scene exported as .pov,
                     same size and samples per pixel (POV-Ray: +A0.0 +AM1 +R<aa>), 1 thread: the built-in
                     engine's render time and its cold time (a fresh raytracer: scene load, BVH, render)
                     against POV-Ray's whole run (process start, parse, render); --runs N, medians, min-max;
                  4. POV-Ray's benchmark.pov at 320x240 in 2 bands on 2 local node servers (1 thread
                     each, 2 in total) against one `povray +WT2`: a first render of a scene copy no run
                     has seen (equal-height bands), then --rounds N (default 3) rounds of one
                     `povray +WT2` and one next render (bands of equal measured cost), interleaved;
                     medians and their ratio (skipped with --skip-povray-benchmark; about 4 minutes).
                Results are ratios; copy them into docs/performance.md.

                Options: --size (default 320x240), --aa (default 2), --scene NAME (= --scenes NAME),
                         --work (scratch folder, kept; default a temporary one, removed at the end)""";
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        VerbArguments a = VerbArguments.parse(args, Set.of("size", "aa", "scene", "scenes", "work", "rounds", "runs"),
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
        int runs = a.intValue("runs", 5, 1, 50);
        List<String> names = List.of(a.value("scenes", a.value("scene", "spheres,bunny,teapot")).split(","));
        RenderSettings s = RenderSettings.of(w, h).withAntialias(aa);
        var out = context.out();
        Raytracer best = Raytracer.create();
        out.printf(Locale.ROOT, "Tessera render benchmark: %dx%d, %dx%d samples/pixel, %d runs, %d cores, Java %s%n", w, h, aa, aa,
                runs, Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.println(best.kernelNotice());
        double rays = (double) w * h * aa * aa;

        // 1. kernels, 1 thread, interleaved runs
        List<Raytracer> kernels = new ArrayList<>();
        kernels.add(Raytracer.java());
        Raytracer.nativeRaytracer().ifPresent(kernels::add);
        Raytracer.embreeRaytracer().ifPresent(kernels::add);
        for (String name : names) {
            Path json = scenes.resolve(name.strip() + ".json");
            if (!Files.exists(json)) {
                context.err().println("render-bench: no example scene " + json.getFileName() + " (spheres, bunny, teapot)");
                return ExitCodes.USAGE;
            }
            RenderScene scene = RenderScene.ofFile(json);
            double[][] t = new double[kernels.size()][runs];
            double[][] cpu = new double[kernels.size()][runs];
            for (Raytracer k : kernels) {
                k.renderTile(scene, s.fullFrame(), s);
            }
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int r = 0; r < runs && !context.isCancelled(); r++) {
                for (int k = 0; k < kernels.size(); k++) {
                    Raytracer rt = kernels.get(k);
                    long c0 = threads.getCurrentThreadCpuTime();
                    t[k][r] = time(() -> rt.renderTile(scene, s.fullFrame(), s));
                    cpu[k][r] = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
                }
            }
            if (context.isCancelled()) {
                return cancelled(context);
            }
            out.printf(Locale.ROOT, "1. %s (%d primitives), kernel, 1 thread:%n", json.getFileName(),
                    kernels.get(0).primitives(scene, s));
            for (int k = 0; k < kernels.size(); k++) {
                out.printf(Locale.ROOT, "   %-6s %s s  %6.2f Mrays/s%s   CPU %s s%s%n", kernels.get(k).kernelName(), spread(t[k]),
                        rays / median(t[k]) / 1e6, k == 0 ? "" : "  speed-up vs java " + ratio(t[0], t[k]), spread(cpu[k]),
                        k == 0 ? "" : "  by CPU time " + ratio(cpu[0], cpu[k]));
            }
        }

        // 2. a node: its tiles on 1 thread, then as a node renders them (2 tiles in flight, each on all cores)
        int cores = Runtime.getRuntime().availableProcessors();
        Raytracer node = best.withAllCores();
        for (String name : names) {
            RenderScene scene = RenderScene.ofFile(scenes.resolve(name.strip() + ".json"));
            List<org.tessera.render.core.Tile> tiles = org.tessera.render.core.TilePlan.grid(w, h, RaytracerEngine.TILE,
                    RaytracerEngine.TILE).tiles();
            best.renderTile(scene, s.fullFrame(), s);
            node.renderTile(scene, s.fullFrame(), s);
            double[] one = new double[runs];
            double[] all = new double[runs];
            for (int r = 0; r < runs && !context.isCancelled(); r++) {
                one[r] = renderTiles(best, scene, s, tiles, 1);
                all[r] = renderTiles(node, scene, s, tiles, 2);
            }
            if (context.isCancelled()) {
                return cancelled(context);
            }
            out.printf(Locale.ROOT, "2. %s, a node's %d tiles of %dx%d, %s kernel: 1 thread %.2f Mrays/s (%s s); node (2 tiles"
                    + " in flight, each on all %d cores) %.2f Mrays/s (%s s); scaling %s%n", name.strip(), tiles.size(),
                    RaytracerEngine.TILE, RaytracerEngine.TILE, best.kernelName(), rays / median(one) / 1e6, spread(one), cores,
                    rays / median(all) / 1e6, spread(all), ratio(one, all));
        }

        // 3. built-in vs POV-Ray on the exported scene, 1 thread
        Optional<RenderEngine> povray = renderer.engine("povray");
        if (povray.isEmpty()) {
            out.println("3./4. skipped: the povray engine is not installed");
            return ExitCodes.OK;
        }
        for (String name : names) {
            Path json = scenes.resolve(name.strip() + ".json");
            RenderScene scene = RenderScene.ofFile(json);
            Path pov = work.resolve(name.strip() + ".pov");
            RaytracerScenes.exportPov(json, 0, w, h, pov);
            RenderScene povScene = RenderScene.ofFile(pov);
            double[] warm = new double[runs];
            double[] cold = new double[runs];
            double[] pr = new double[runs];
            for (int r = 0; r < runs && !context.isCancelled(); r++) {
                Raytracer fresh = Raytracer.create();
                cold[r] = time(() -> fresh.renderTile(scene, s.fullFrame(), s));
                warm[r] = time(() -> fresh.renderTile(scene, s.fullFrame(), s));
                pr[r] = time(() -> povray.get().renderTile(povScene, 1, s.fullFrame(), s));
            }
            if (context.isCancelled()) {
                return cancelled(context);
            }
            out.printf(Locale.ROOT, "3. %s, built-in (%s) vs POV-Ray on the exported scene, 1 thread: povray %s s;"
                    + " built-in render %s s = %s faster; cold (load + BVH + render) %s s = %s faster%n", name.strip(),
                    best.kernelName(), spread(pr), spread(warm), ratio(pr, warm), spread(cold), ratio(pr, cold));
        }
        if (context.isCancelled()) {
            return cancelled(context);
        }

        // 4. benchmark.pov: 2 bands on 2 local workers vs one povray +WT2
        if (a.flag("skip-povray-benchmark")) {
            return ExitCodes.OK;
        }
        Path bench = Path.of("/usr/share/povray-3.7/scenes/advanced/benchmark/benchmark.pov");
        if (!Files.exists(bench)) {
            out.println("4. skipped: " + bench + " not found (apt-get install povray-examples)");
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
        out.printf(Locale.ROOT, "4. benchmark.pov 320x240 on 2 local nodes (2 bands, 1 povray thread each) vs one `povray +WT2`:%n");
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

    /** "median (min-max)" of seconds. */
    private static String spread(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return String.format(Locale.ROOT, "%.4f (%.4f-%.4f)", median(v), v[0], v[v.length - 1]);
    }

    /** The per-run ratios base[i] / faster[i] as "median x (min-max)". */
    private static String ratio(double[] base, double[] faster) {
        double[] r = new double[base.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = base[i] / faster[i];
        }
        java.util.Arrays.sort(r);
        return String.format(Locale.ROOT, "%.2fx (%.2f-%.2f)", median(r), r[0], r[r.length - 1]);
    }

    /** Seconds to render {@code tiles} with {@code threads} threads pulling tiles, as a node's tile slots do. */
    private static double renderTiles(Raytracer rt, RenderScene scene, RenderSettings s, List<org.tessera.render.core.Tile> tiles,
            int threads) throws Exception {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> pool = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            pool.add(Thread.ofPlatform().name("render-bench-" + i).start(() -> {
                for (int k; (k = next.getAndIncrement()) < tiles.size();) {
                    try {
                        rt.renderTile(scene, tiles.get(k), s);
                    } catch (Exception e) {
                        failed.compareAndSet(null, e);
                        return;
                    }
                }
            }));
        }
        for (Thread t : pool) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failed.get() != null) {
            throw failed.get();
        }
        return seconds;
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
        List<String> names = new ArrayList<>(List.of("spheres.json", "teapot.json", "teapot.obj", "bunny.json", "bunny.obj"));
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
