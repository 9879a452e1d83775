// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.tessera.cluster.core.ClusterService;
import org.tessera.core.FrameRange;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;
import org.tessera.render.core.DemoScene;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderJob;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.TileRenderer;

/**
 * {@code tessera demo [--work DIR] [--nodes N]}: the main job end to end on this machine. Starts N node
 * servers on loopback ports (in this process, talking real HTTP), the render tracker with its H2
 * database and XML-RPC endpoint, and the stats recorder, all writing under the work folder; renders
 * frames of the bundled {@code spheres.json} animation with the built-in engine across the nodes; prints
 * where everything went and a summary.
 */
@Component(service = Verb.class)
public class DemoVerb implements Verb {
    static final String STATS_COMPONENT = "org.tessera.internal.stats.core.StatsRecorderComponent";
    static final String TRACKER_COMPONENT = "org.tessera.internal.tracker.core.RenderTrackerComponent";
    private static final Pattern TRACKER_LINE = Pattern.compile("Tracker listening on (\\S+)");

    @Reference
    private TileRenderer renderer;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ClusterService cluster;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime scr;

    /** Demo scenes of other engines ({@code --engine blender}), registered by their bundles. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<DemoScene> demoScenes;

    private BundleContext bundleContext;

    @Activate
    void activate(BundleContext context) {
        bundleContext = context;
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "render the bundled scene across local nodes with tracker and stats (the main job)";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera demo [--work DIR] [--nodes N] [--engine blender]

                Starts N node servers on loopback ports (default 3; in this process, over real HTTP),
                the render tracker (H2 database, XML-RPC on a free loopback port) and the stats
                recorder, renders frames 1-4 of the bundled spheres.json animation at 320x240 with the
                built-in raytracer across the nodes, and prints where the images, the tracker database
                and the stats files are, with a summary (frames, tiles per node, time).

                Options:
                  --work DIR   folder for everything the demo writes (default ./tessera-demo)
                  --nodes N    node servers to start, 1..16 (default 3)
                  --engine E   render the demo scene of engine E instead (blender: a Cycles scene made
                               by Blender's Python; exit 3 with an install hint without Blender)""";
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        VerbArguments a = VerbArguments.parse(args, Set.of("work", "nodes", "engine"), Set.of());
        if (!a.positionals().isEmpty()) {
            throw new org.tessera.core.cli.UsageException("demo takes no positional arguments: " + a.positionals());
        }
        Path work = context.resolve(a.value("work", "tessera-demo")).toAbsolutePath().normalize();
        int n = a.intValue("nodes", 3, 1, 16);
        Path images = work.resolve("images");
        Path stats = work.resolve("stats");
        Path trackerDb = work.resolve("tracker").resolve("tracker");
        Files.createDirectories(images);
        Files.createDirectories(stats);
        Files.createDirectories(trackerDb.getParent());
        try (Stream<Path> old = Files.list(images)) { // a demo renders every time: no resume
            for (Path p : old.toList()) {
                Files.deleteIfExists(p);
            }
        }
        PrintStream out = context.out();
        out.println("Tessera demo: work folder " + work);

        System.setProperty("tessera.stats.folder", stats.toString());
        System.setProperty("tessera.tracker.jdbc", "jdbc:h2:file:" + trackerDb);
        restart(STATS_COMPONENT);
        restart(TRACKER_COMPONENT);

        AtomicBoolean stopTracker = new AtomicBoolean();
        Thread trackerThread = null;
        LocalCluster nodes = null;
        try {
            String engine = a.value("engine", "raytracer");
            DemoScene demo = engine.equals("raytracer") ? null : demoScenes.stream().filter(d -> d.engine().equals(engine))
                    .findFirst().orElseThrow(() -> new org.tessera.core.cli.UsageException("demo --engine: no demo scene of '"
                            + engine + "'; there are: raytracer " + demoScenes.stream().map(DemoScene::engine).toList()));
            RenderRequest own = demo == null ? null : demo.request(work.resolve("scene"), images).withProject("tessera-demo", null);
            String trackerUri;
            ByteArrayOutputStream trackerOut = new ByteArrayOutputStream();
            Verb trackerVerb = LocalCluster.verb(bundleContext, "tracker");
            PrintStream ps = new PrintStream(trackerOut, true, StandardCharsets.UTF_8);
            VerbContext tc = new VerbContext(ps, ps, work, stopTracker::get);
            trackerThread = new Thread(() -> {
                try {
                    trackerVerb.run(List.of("serve", "--host", "127.0.0.1", "--port", "0"), tc);
                } catch (Exception e) {
                    ps.println("tracker failed: " + e);
                }
            }, "tessera-demo-tracker");
            trackerThread.setDaemon(true);
            trackerThread.start();
            trackerUri = awaitLine(trackerOut, TRACKER_LINE, "tracker failed");
            out.println("Tracker:  XML-RPC " + trackerUri + ", database " + trackerDb + ".mv.db");

            long t0 = System.nanoTime();
            nodes = LocalCluster.start(bundleContext, cluster, n, work);
            out.printf(Locale.ROOT, "Nodes:    %d node servers %s (started in %.1f s)%n", n,
                    String.join(" ", nodes.addresses()), (System.nanoTime() - t0) / 1e9);

            Path scene = own != null ? null : copyScene(work.resolve("scene"));
            FrameRange frames = FrameRange.of(1, 4);
            RenderRequest request = own != null ? own : RenderRequest.of(RenderScene.ofFile(scene), frames, 320, 240,
                    images.resolve("spheres_####.png").toString()).withEngine("raytracer").withAntialias(2)
                    .withProject("tessera-demo", null);
            out.println(own != null ? "Rendering " + demo.description() + " across the nodes ..." : "Rendering "
                    + scene.getFileName() + " frames 1-4 at 320x240 (2x2 samples per pixel) with the"
                    + " built-in raytracer across the nodes ...");
            RenderJob job = renderer.start(request, null);
            RenderResult result;
            while ((result = job.await(Duration.ofMillis(200))) == null) {
                if (context.isCancelled()) {
                    job.cancel();
                }
            }
            Thread.sleep(500); // let EventAdmin deliver the last frame events to the stats recorder
            flushStats();
            if (result.state() != JobState.FINISHED) {
                out.println("Render " + result.state() + ": " + result.error());
                return result.state() == JobState.CANCELLED ? ExitCodes.CANCELLED : ExitCodes.FAILURE;
            }
            out.println();
            out.println("Images:   " + images);
            for (Path f : result.written()) {
                out.println("          " + f.getFileName());
            }
            out.println("Tracker:  " + trackerDb + ".mv.db  (tessera tracker frames tessera-demo --port "
                    + java.net.URI.create(trackerUri).getPort() + " while it runs)");
            out.println("Stats:    " + stats + "  (tessera stats show <file>)");
            out.println();
            Map<String, Integer> perNode = job instanceof RenderJobRun r ? r.tilesByWorker() : Map.of();
            out.printf(Locale.ROOT, "Summary:  %d frames, %d tiles (%d retried) in %.2f s%n", result.written().size(),
                    result.tilesRendered(), result.tilesRetried(), result.millis() / 1000.0);
            perNode.forEach((node, tiles) -> out.printf(Locale.ROOT, "          %-22s %4d tiles%n", node, tiles));
            return ExitCodes.OK;
        } catch (RenderException e) {
            context.err().println("tessera demo: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        } finally {
            if (nodes != null) {
                nodes.close();
            }
            stopTracker.set(true);
            if (trackerThread != null) {
                trackerThread.join(5000);
            }
        }
    }

    private static String awaitLine(ByteArrayOutputStream out, Pattern pattern, String failure)
            throws RenderException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            String text = out.toString(StandardCharsets.UTF_8);
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                return m.group(1);
            }
            if (text.contains(failure) || System.nanoTime() > deadline) {
                throw new RenderException("could not start: " + text.strip());
            }
            Thread.sleep(20);
        }
    }

    /** Re-activates a DS component so it reads the work folder's system properties. */
    private void restart(String component) throws Exception {
        ServiceComponentRuntime runtime = scr;
        if (runtime == null) {
            return;
        }
        for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs()) {
            if (d.name.equals(component)) {
                runtime.disableComponent(d).getValue();
                runtime.enableComponent(d).getValue();
            }
        }
    }

    private void flushStats() {
        try {
            ServiceReference<?> ref = bundleContext.getServiceReference("org.tessera.stats.core.StatsRecorder");
            if (ref != null) {
                Object recorder = bundleContext.getService(ref);
                try {
                    recorder.getClass().getMethod("flush").invoke(recorder);
                } finally {
                    bundleContext.ungetService(ref);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // stats are flushed on deactivation too
        }
    }

    private Path copyScene(Path dir) throws IOException, RenderException {
        Files.createDirectories(dir);
        for (Bundle b : bundleContext.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().equals("org.tessera.render.raytracer")) {
                var url = b.getEntry("scenes/spheres.json");
                if (url != null) {
                    Path target = dir.resolve("spheres.json");
                    try (InputStream in = url.openStream()) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    return target;
                }
            }
        }
        throw new RenderException("the built-in engine (bundle org.tessera.render.raytracer) with its scenes is not installed");
    }
}
