// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tessera.cluster.core.ClusterService;
import org.tessera.core.FrameRange;
import org.tessera.core.ServerEndpoint;
import org.tessera.core.ServerEndpoints;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;
import org.tessera.internal.render.core.LocalCluster;
import org.tessera.internal.render.core.RenderJobRun;
import org.tessera.render.core.DemoScene;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderJob;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.TileRenderer;
import org.tessera.stats.core.StatsRecorder;

/**
 * {@code tessera demo [--work DIR] [--nodes N]}: the main job end to end on this machine. Starts N node
 * servers on loopback ports (in this process, talking real HTTP), the render tracker with its H2
 * database and XML-RPC endpoint, and the stats recorder, all writing under the work folder; renders
 * frames of the bundled {@code spheres.json} animation with the built-in engine across the nodes; prints
 * where everything went and a summary. Everything is wired through Configuration Admin: the stats folder
 * ({@value #STATS_PID}), the tracker database ({@value #TRACKER_PID}), a tracker endpoint
 * ({@value #TRACKER_ENDPOINT_PID}) and the node servers (through {@link LocalCluster}); the demo waits for
 * the services those configurations start and removes (or restores) the configurations when it ends.
 */
@Component(service = Verb.class)
public class DemoVerb implements Verb {
    static final String STATS_PID = "org.tessera.stats.recorder";
    static final String TRACKER_PID = "org.tessera.tracker";
    static final String TRACKER_ENDPOINT_PID = "org.tessera.tracker.endpoint";
    private static final Duration START = Duration.ofSeconds(30);

    @Reference
    private TileRenderer renderer;

    @Reference
    private ConfigurationAdmin configAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ClusterService cluster;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile StatsRecorder stats;

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

        List<Runnable> undo = new ArrayList<>();
        String endpointName = "demo-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
        LocalCluster nodes = null;
        try {
            String engine = a.value("engine", "raytracer");
            DemoScene demo = engine.equals("raytracer") ? null : demoScenes.stream().filter(d -> d.engine().equals(engine))
                    .findFirst().orElseThrow(() -> new org.tessera.core.cli.UsageException("demo --engine: no demo scene of '"
                            + engine + "'; there are: raytracer " + demoScenes.stream().map(DemoScene::engine).toList()));
            RenderRequest own = demo == null ? null : demo.request(work.resolve("scene"), images).withProject("tessera-demo", null);
            undo.add(configure(STATS_PID, Map.of("folder", stats.toString())));
            awaitStatsFolder(stats);
            undo.add(configure(TRACKER_PID, Map.of("database", "jdbc:h2:file:" + trackerDb)));
            Hashtable<String, Object> endpointProps = new Hashtable<>(Map.of("host", "127.0.0.1", "port", 0));
            undo.add(() -> {
                try {
                    ServerEndpoints.stop(configAdmin, TRACKER_ENDPOINT_PID, endpointName);
                } catch (IOException e) {
                    System.err.println("tessera demo: cannot remove the tracker endpoint configuration: " + e);
                }
            });
            ServerEndpoint tracker;
            try {
                tracker = ServerEndpoints.start(configAdmin, TRACKER_ENDPOINT_PID, endpointName, endpointProps, START);
            } catch (ServerEndpoints.ServerStartException e) {
                throw new RenderException("the tracker endpoint did not start: " + e.getMessage()
                        + " (its component, configuration " + TRACKER_ENDPOINT_PID + ", is in the bundle org.tessera.tracker.core)");
            }
            URI trackerUri = tracker.url();
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
                    + trackerUri.getPort() + " while it runs)");
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
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
        }
    }

    /**
     * Sets {@code values} in the configuration {@code pid} and returns what restores it: the old properties,
     * or no configuration when there was none.
     */
    private Runnable configure(String pid, Map<String, Object> values) throws IOException {
        Configuration config = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> old = config.getProperties();
        Hashtable<String, Object> props = new Hashtable<>();
        if (old != null) {
            for (var keys = old.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                props.put(key, old.get(key));
            }
        }
        props.putAll(values);
        config.update(props);
        return () -> {
            try {
                if (old == null) {
                    config.delete();
                } else {
                    config.update(old);
                }
            } catch (IOException | IllegalStateException e) {
                System.err.println("tessera demo: cannot restore the configuration " + pid + ": " + e);
            }
        };
    }

    /** Configuration Admin tells the recorder asynchronously: waits until it writes into {@code folder}. */
    private void awaitStatsFolder(Path folder) throws RenderException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            StatsRecorder recorder = stats;
            if (recorder != null && folder.equals(recorder.folder())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new RenderException("the stats recorder (bundle org.tessera.stats.core) did not take the folder "
                        + folder + " (configuration " + STATS_PID + ")");
            }
            Thread.sleep(20);
        }
    }

    private void flushStats() {
        StatsRecorder recorder = stats;
        if (recorder != null) {
            try {
                recorder.flush();
            } catch (IOException | RuntimeException e) {
                // stats are flushed on deactivation too
            }
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
