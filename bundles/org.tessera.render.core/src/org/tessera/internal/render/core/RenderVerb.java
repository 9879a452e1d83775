// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tessera.cluster.core.ClusterService;
import org.tessera.render.core.RenderException;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tessera.core.FrameRange;
import org.tessera.core.FrameRangeException;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;
import org.tessera.render.core.EngineOptionsException;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.StaleFramesException;
import org.tessera.render.core.JobState;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderJob;
import org.tessera.render.core.RenderProgress;
import org.tessera.render.core.DisplayOptions;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.StereoEye;
import org.tessera.render.core.StereoUnsupportedException;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.TileRenderer;

/** {@code tessera render <scene> ...}: renders frames in-process with a progress line on stderr. */
@Component(service = Verb.class)
public class RenderVerb implements Verb {

    @Reference
    private TileRenderer renderer;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ClusterService cluster;

    private BundleContext bundleContext;

    @Activate
    void activate(BundleContext context) {
        bundleContext = context;
    }

    @Override
    public String name() {
        return "render";
    }

    @Override
    public String summary() {
        return "render a scene's frames into PNG files, split into tiles";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera render <scene> [--frames "1 10"] [--size WxH] [--engine NAME] [--out PATTERN]
                                      [--aa N] [--bits 8|16] [--tile-size PX] [--force]
                                      [--povray "OPTIONS"] [--ini FILE.ini]
                                      [--stereo [--eye-separation MM] [--zero-parallax MM]]
                                      [--show-tiles] [--test-image]
                                      [--nodes N | --cluster "HOSTS" | --workers N]

                Renders <scene> (a file in a scene folder: .json for the built-in raytracer, .pov for
                POV-Ray, .blend for Blender/Cycles) for each frame into PNG files, cutting each frame
                into tiles rendered in parallel. Frames whose file already exists are skipped, so
                re-running a cancelled job resumes it; a frame file appears only when complete. Each
                frame file records the settings it was rendered with: a job whose frames exist with
                other settings (size, --aa, --bits, options, frame range) is refused unless --force
                renders them again. For .blend scenes --size replaces the scene's resolution and
                frames are Blender's own.

                Options:
                  --frames EXPR   frames to render (grammar: %s), default 1; the animation clock runs
                                  from 0 at the first frame to 1 at the last
                  --size WxH      image size in pixels, default 320x240
                  --engine NAME   render engine, default: the first that reads the scene's file type
                  --out PATTERN   frame files; #### is the zero-padded frame number, default
                                  <scene name>_####.png next to the working directory
                  --aa N          N x N samples per pixel (1 = no antialiasing), default 1
                  --bits 8|16     bits per PNG channel, default 8
                  --tile-size PX  square tiles of PX pixels for engines that cut a grid (the built-in
                                  raytracer); default the engine's own plan. POV-Ray keeps one row
                                  band per worker (balanced by measured row costs once known)
                  --stereo        render a left and a right eye per frame, written as <out>_left.png and
                                  <out>_right.png (engines with stereo: the built-in raytracer)
                  --eye-separation MM   distance between the eyes in millimetres (scene units are
                                  metres: 65 = 0.065), default the scene camera's own
                  --zero-parallax MM    distance of the zero-parallax plane in millimetres: each eye
                                  gets an off-axis frustum so objects at this distance do not move
                                  between the eyes; default parallel cameras
                  --show-tiles    draw tile borders and the name of the node of each tile into the frames
                  --test-image    render the display test image (colour bars, 32-pixel grid) instead
                                  of the scene
                  --povray "OPT"  POV-Ray's own options for every tile, e.g. "+Q9 +A0.1 +AM2 +R3"
                                  (switches or Key=Value). Refused, by name: output file/format
                                  (+O +F), region (+SR +ER +SC +EC), size (+W +H: use --size),
                                  animation (+K: use --frames), display (+D), pause (+P), +I,
                                  shell commands (Pre_Scene_Command ...), message files (+GF...)
                  --ini FILE      a POV-Ray INI file for every tile, checked like --povray
                                  (which overrides it)
                  --force         render every frame, also those whose file exists
                  --nodes N       start N node servers on loopback ports for this job (in this process,
                                  real HTTP: scene upload and tiles go over the node protocol) and
                                  render across them as a cluster
                  --cluster HOSTS render on running node servers ("pc1 pc2:7702", "node1 - node8";
                                  token: TESSERA_CLUSTER_TOKEN or ~/.tessera/secrets/cluster.token, mode 0600)
                  --workers N     without --nodes/--cluster: N in-process workers, default one per core

                Engines installed: %s

                Examples:
                  tessera render scenes/spheres.json --size 640x480 --aa 2
                  tessera render shot.pov --frames "1 4" --out frames/shot_####.png
                  tessera render scenes/spheres.json --stereo --eye-separation 65 --zero-parallax 4000
                  tessera render shot.blend --frames "1 10" --size 1280x720 --cluster "pc1 pc2"
                  tessera render bench            the benchmarks (same as tessera render-bench)""".formatted(FrameRange.GRAMMAR,
                String.join(", ", renderer.engines().stream().map(RenderEngine::name).toList()));
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        if (!args.isEmpty() && args.get(0).equals("bench") && !Files.exists(context.resolve("bench"))) {
            return runBenchmark(args.subList(1, args.size()), context);
        }
        VerbArguments a = VerbArguments.parse(args, Set.of("frames", "size", "engine", "out", "aa", "bits", "nodes", "cluster", "workers",
                "tile-size", "eye-separation", "zero-parallax", "povray", "ini"),
                Set.of("stereo", "show-tiles", "test-image", "force"));
        Path sceneFile = context.resolve(a.requireOnePositional("scene file"));
        if (!Files.isRegularFile(sceneFile)) {
            throw new UsageException("scene file " + sceneFile + " does not exist");
        }
        FrameRange frames;
        try {
            frames = FrameRange.parse(a.value("frames", "1"));
        } catch (FrameRangeException e) {
            throw new UsageException(e.getMessage(), e);
        }
        int[] size = parseSize(a.value("size", "320x240"));
        int bits = a.intValue("bits", 8, 8, 16);
        if (bits != 8 && bits != 16) {
            throw new UsageException("--bits must be 8 or 16, not " + bits);
        }
        String name = sceneFile.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String out = a.value("out", name + "_####.png");
        RenderRequest request = RenderRequest.of(RenderScene.ofFile(sceneFile), frames, size[0], size[1],
                context.workingDirectory().resolve(out).toString())
                .withEngine(a.value("engine").orElse(null)).withAntialias(a.intValue("aa", 1, 1, 16))
                .withBitDepth(bits).withLocalWorkers(a.intValue("workers", 0, 1, 256))
                .withTileSize(a.intValue("tile-size", 0, 1, RenderRequest.MAX_TILE_SIZE))
                .withDisplay(displayOptions(a))
                .withEngineOptions(a.value("povray", ""), readIni(a.value("ini").map(context::resolve).orElse(null)))
                .withForce(a.flag("force"));
        int nodes = a.intValue("nodes", 0, 1, 64);
        String hosts = a.value("cluster").orElse(null);
        if (nodes > 0 && hosts != null) {
            throw new UsageException("give --nodes N or --cluster \"HOSTS\", not both");
        }
        LocalCluster local = null;
        try {
            if (nodes > 0) {
                local = LocalCluster.start(bundleContext, cluster, nodes, context.workingDirectory());
            } else if (hosts != null) {
                local = LocalCluster.existing(cluster, hosts);
            }
        } catch (RenderException e) {
            context.err().println("tessera render: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        try (LocalCluster c = local) {
            if (c != null) {
                context.err().println("rendering on nodes " + String.join(" ", c.addresses()));
            }
            return render(request, context);
        }
    }

    /** The text of the user's INI file, or empty for none. */
    private static String readIni(Path ini) {
        if (ini == null) {
            return "";
        }
        if (!Files.isRegularFile(ini)) {
            throw new UsageException("--ini " + ini + " is not a file");
        }
        try {
            if (Files.size(ini) > 256 * 1024) {
                throw new UsageException("--ini " + ini + " is larger than 256 KB: is it an INI file?");
            }
            return new String(Files.readAllBytes(ini), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new UsageException("--ini " + ini + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The display options of the command line; a usage error for bad values or eye options without --stereo. */
    static DisplayOptions displayOptions(VerbArguments a) {
        boolean stereo = a.flag("stereo");
        DisplayOptions d = DisplayOptions.NONE.withStereo(stereo).withShowTiles(a.flag("show-tiles"))
                .withShowTestImage(a.flag("test-image"));
        for (String option : List.of("eye-separation", "zero-parallax")) {
            java.util.Optional<String> v = a.value(option);
            if (v.isEmpty()) {
                continue;
            }
            if (!stereo) {
                throw new UsageException("--" + option + " needs --stereo");
            }
            double mm;
            try {
                mm = Double.parseDouble(v.get().trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + option + " must be a number of millimetres, not \"" + v.get() + "\"");
            }
            try {
                d = option.equals("eye-separation") ? d.withEyeSeparation(mm) : d.withZeroParallax(mm);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + option + ": " + e.getMessage());
            }
            if (!(mm > 0) && option.equals("zero-parallax")) {
                throw new UsageException("--zero-parallax must be a distance above 0 mm (leave it out for parallel cameras)");
            }
        }
        return d;
    }

    private int render(RenderRequest stereoOrMono, VerbContext context) throws Exception {
        int last = ExitCodes.OK;
        for (RenderRequest eye : stereoOrMono.eyes()) {
            if (eye.eye() != StereoEye.CENTER) {
                context.err().println("rendering the " + eye.eye().name().toLowerCase(Locale.ROOT) + " eye");
            }
            last = renderOne(eye, context);
            if (last != ExitCodes.OK) {
                return last;
            }
        }
        return last;
    }

    private int renderOne(RenderRequest request, VerbContext context) throws Exception {
        RenderJob job;
        try {
            job = renderer.start(request, p -> progressLine(context, p, false));
        } catch (EngineUnavailableException e) {
            context.err().println("tessera render: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        } catch (StereoUnsupportedException | EngineOptionsException | StaleFramesException e) {
            context.err().println("tessera render: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        RenderResult result;
        java.util.Set<String> toldLost = new java.util.HashSet<>();
        while ((result = job.await(java.time.Duration.ofMillis(200))) == null) {
            if (context.isCancelled()) {
                job.cancel();
            }
            tellLost(job, toldLost, context, true);
        }
        progressLine(context, job.progress(), true);
        tellLost(job, toldLost, context, false);
        for (Path f : result.written()) {
            context.out().println(f);
        }
        if (!result.skipped().isEmpty()) {
            context.err().println("skipped " + result.skipped().size() + " frame(s) already rendered");
        }
        // on Ctrl-C the in-process nodes and engines stop too, so the job may fail before it sees the cancel
        if (result.state() == JobState.CANCELLED || result.state() == JobState.FAILED && context.isCancelled()) {
            context.err().println("tessera render: cancelled");
            return ExitCodes.CANCELLED;
        }
        if (result.state() == JobState.FAILED) {
            context.err().println("tessera render: " + result.error());
            // every node lost, or the engine missing: the service is unavailable, the scene may be fine
            return job.noWorkerLeft() || result.error() != null && result.error().contains("not installed")
                    ? ExitCodes.UNAVAILABLE : ExitCodes.FAILURE;
        }
        context.err().printf(Locale.ROOT, "rendered %d frame(s), %d tiles in %.1f s%n", result.written().size(),
                result.tilesRendered(), result.millis() / 1000.0);
        return ExitCodes.OK;
    }

    /** Says once for each worker the job stopped using (a node that died), and why. */
    private static void tellLost(RenderJob job, java.util.Set<String> told, VerbContext context, boolean afterProgress) {
        job.lostWorkers().forEach((worker, why) -> {
            if (told.add(worker)) {
                // the progress line has no line end yet: the message gets its own line
                context.err().println((afterProgress ? "\n" : "") + "tessera render: lost " + worker + " (" + why
                        + "); its tiles go to the others");
            }
        });
    }

    /** {@code tessera render bench ...} is {@code tessera render-bench ...}, contributed by the raytracer bundle. */
    private int runBenchmark(List<String> args, VerbContext context) throws Exception {
        for (ServiceReference<Verb> ref : bundleContext.getServiceReferences(Verb.class, null)) {
            Verb verb = bundleContext.getService(ref);
            try {
                if (verb != null && verb.name().equals("render-bench")) {
                    return verb.run(args, context);
                }
            } finally {
                bundleContext.ungetService(ref);
            }
        }
        context.err().println("tessera render bench: the benchmark (bundle org.tessera.render.raytracer) is not installed");
        return ExitCodes.UNAVAILABLE;
    }

    static int[] parseSize(String text) {
        String[] p = text.toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                int w = Integer.parseInt(p[0].trim());
                int h = Integer.parseInt(p[1].trim());
                if (w > 0 && h > 0 && w <= 32768 && h <= 32768) {
                    return new int[] { w, h };
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the usage error
        }
        throw new UsageException("--size must be WIDTHxHEIGHT with 1..32768 pixels each, e.g. 640x480, not \"" + text + "\"");
    }

    private static long lastPrinted;

    private static synchronized void progressLine(VerbContext context, RenderProgress p, boolean last) {
        long now = System.nanoTime();
        if (!last && now - lastPrinted < 200_000_000L) {
            return;
        }
        lastPrinted = now;
        long eta = p.etaMillis();
        String line = String.format(Locale.ROOT, "\r[%-30s] %3.0f%% tiles %d/%d frames %d/%d elapsed %s eta %s",
                "#".repeat((int) (p.fraction() * 30)), p.fraction() * 100, p.tilesDone(), p.tilesTotal(),
                p.framesDone(), p.framesTotal(), seconds(p.elapsedMillis()), eta < 0 ? "?" : seconds(eta));
        context.err().print(line + (last ? "\n" : ""));
        context.err().flush();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
