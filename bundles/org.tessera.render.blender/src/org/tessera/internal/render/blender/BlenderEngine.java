// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.blender;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tessera.internal.render.core.EngineProcesses;
import org.tessera.internal.render.core.PngImage;
import org.tessera.render.core.EngineCapability;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.SceneSandbox;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TilePlan;

/**
 * Renders {@code .blend} scenes with the installed Blender, one process per tile:
 * {@code blender -b --factory-startup -noaudio --disable-autoexec scene.blend --python tile.py -t N -f FRAME},
 * where {@code tile.py} ({@link BlenderScript}, written into the tile's scratch folder) sets Cycles on the
 * CPU, the requested resolution at 100 %, a border render of the tile's rectangle
 * cropped to the border, and a 16-bit RGB PNG output; the tile is cropped from that PNG.
 * Everything else (samples, seed, lights, colour management) is the scene's own, so the assembled frame is
 * the frame a plain {@code blender -b scene.blend -f FRAME} writes with the same size and format.
 * <p>
 * Scenes are untrusted input: Python stored in the file never runs ({@code --disable-autoexec}), and
 * Blender runs under the {@link SceneSandbox} (reads the scene folder, writes only the scratch folder).
 * Whole-image passes (denoising, compositor nodes, sequencer strips) cannot be split into border
 * renders: such scenes are planned as one whole-frame tile per frame, so frames rather than tiles are
 * spread over the nodes. The program is {@code blender} on the PATH, or the {@code executable} of the
 * configuration {@value #PID} (applied live).
 */
@Component(service = RenderEngine.class, configurationPid = BlenderEngine.PID)
@Designate(ocd = BlenderEngine.Config.class)
public class BlenderEngine implements RenderEngine {
    /** Configuration PID of the Blender engine. */
    public static final String PID = "org.tessera.render.blender";

    /** Settings of the Blender engine. */
    @ObjectClassDefinition(id = PID, name = "Tessera Blender engine",
            description = "Renders frames and tiles of .blend scenes with Blender (docs/renderer.md).")
    public @interface Config {
        @AttributeDefinition(description = "The blender program; empty = 'blender' on the PATH.", required = false)
        String executable() default "";
    }

    /** The configured program, or empty for the PATH; changes apply to the next tile. */
    private volatile String configuredExecutable = "";

    /** Lines of Blender's own messages quoted in an error. */
    private static final int QUOTED_LINES = 12;
    private static final Pattern VERSION = Pattern.compile("Blender (\\d+\\.\\d+(?:\\.\\d+)?)");
    /** coreutils' {@code nice}, inside the sandbox too (it shows the system's /usr). */
    private static final Path NICE = Path.of("/usr/bin/nice");

    /** A blender process now rendering a tile, and its scratch folder. */

    /** What Tessera's script reported about a scene file, and the file's size and time when it did. */
    private record Inspected(long size, long modified, SceneFacts facts) {
    }

    /** The blender processes now running, and their scratch folders. */
    private final EngineProcesses running = new EngineProcesses("Blender", "blender-cleanup");
    private final Map<Path, Inspected> inspected = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Inspected> eldest) {
            return size() > 64;
        }
    };
    /** {@code blender --version}'s answer and the program that gave it. */
    private volatile String[] version;

    /** A JVM ended by Ctrl-C or SIGTERM runs no {@code finally}: the hook kills the blender processes still running. */
    @Activate
    void activate(Config config) {
        configuredExecutable = config.executable();
        running.activate();
    }

    @Modified
    void modified(Config config) {
        configuredExecutable = config.executable();
    }

    @Deactivate
    void deactivate() {
        running.deactivate();
    }

    @Override
    public String name() {
        return "blender";
    }

    /** Frames are Blender's own frame numbers ({@code -f N}); no clock, no antialiasing option: the scene's samples rule. */
    @Override
    public Set<EngineCapability> capabilities() {
        return EnumSet.noneOf(EngineCapability.class);
    }

    @Override
    public boolean accepts(RenderScene scene) {
        return scene.extension().equals("blend");
    }

    /**
     * One row band per worker: every Blender process starts, loads the scene and builds its BVH again
     * (about 0.7 s here for a small scene), which few large bands amortise.
     */
    @Override
    public TilePlan planTiles(int width, int height, int workers) {
        return TilePlan.bands(width, height, Math.max(1, workers));
    }

    /** Bands of equal measured cost once a frame of the scene was rendered (the tiles report their trace time). */
    @Override
    public TilePlan planTiles(int width, int height, int workers, double[] rowCosts) {
        return TilePlan.bandsByCost(width, height, Math.max(1, workers), rowCosts);
    }

    /**
     * The whole frame as one tile when the scene has a whole-image pass; bands otherwise. What the scene
     * has is asked of Blender once per version of the file, on a thread of its own: a job never waits for
     * it (a Blender start and file load, about 2 s here, would add to every job's time). Until the answer
     * is in — the first frame of a job on a new scene — and where Blender cannot run (a master without
     * Blender), the frame is cut into bands: the script on the nodes sees the pass and renders the whole
     * frame before cropping, which costs CPU time but never pixels.
     */
    @Override
    public TilePlan planTiles(RenderScene scene, int width, int height, int workers, double[] rowCosts) {
        SceneFacts facts = inspectedOrStart(scene);
        if (facts != null && facts.wholeFrame()) {
            return new TilePlan(width, height, List.of(new Tile(0, 0, width, height)));
        }
        return planTiles(width, height, workers, rowCosts);
    }

    /** The scene's own resolution (times its percentage) and PNG depth, as Blender reports them ({@link #inspect}). */
    @Override
    public int[] sceneOutput(RenderScene scene) throws RenderException {
        SceneFacts facts = inspect(scene);
        return facts.width() > 0 && facts.height() > 0 ? new int[] {facts.width(), facts.height(), facts.bitDepth()} : null;
    }

    /** The installed Blender's version ({@code "3.4.1"}), or {@code "unknown"} without a working Blender. */
    @Override
    public String version() {
        try {
            return blenderVersion();
        } catch (EngineUnavailableException e) {
            return "unknown";
        }
    }

    /** Files being inspected now, guarded by {@link #inspected}. */
    private final Set<Path> inspecting = new HashSet<>();

    /** The facts of the scene's current file version when known; else starts finding them out and returns null. */
    private SceneFacts inspectedOrStart(RenderScene scene) {
        Path file = scene.file();
        try {
            long size = Files.size(file);
            long modified = Files.getLastModifiedTime(file).toMillis();
            synchronized (inspected) {
                Inspected i = inspected.get(file);
                if (i != null && i.size() == size && i.modified() == modified) {
                    return i.facts();
                }
                if (!inspecting.add(file)) {
                    return null;
                }
            }
        } catch (IOException e) {
            return null;
        }
        Thread t = new Thread(() -> {
            try {
                inspect(scene);
            } catch (RenderException | RuntimeException e) {
                // the nodes decide per tile
            } finally {
                synchronized (inspected) {
                    inspecting.remove(file);
                }
            }
        }, "tessera-blender-inspect");
        t.setDaemon(true);
        t.start();
        return null;
    }

    /**
     * The installed Blender's version ({@code "3.4.1"}), from {@code blender --version}, asked once.
     *
     * @throws EngineUnavailableException when Blender is not installed or does not answer
     */
    public String blenderVersion() throws EngineUnavailableException {
        Path blender = executable();
        String[] v = version;
        if (v != null && v[0].equals(blender.toString())) {
            return v[1];
        }
        try {
            Path home = Files.createTempDirectory("tessera-blender-version-");
            try {
                ProcessBuilder pb = new ProcessBuilder(blender.toString(), "--version").redirectErrorStream(true)
                        .directory(home.toFile());
                pb.environment().clear();
                pb.environment().putAll(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", home.toString(), "LANG",
                        "C.UTF-8"));
                Process p = pb.start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readNBytes(1 << 16);
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    EngineProcesses.killTree(p);
                    throw new EngineUnavailableException(blender + " --version did not answer in 30 s");
                }
                Matcher m = VERSION.matcher(new String(out, StandardCharsets.UTF_8));
                if (!m.find()) {
                    throw new EngineUnavailableException(blender + " --version printed no Blender version");
                }
                version = new String[] { blender.toString(), m.group(1) };
                return m.group(1);
            } finally {
                EngineProcesses.deleteTree(home);
            }
        } catch (IOException e) {
            throw new EngineUnavailableException("cannot run " + blender + " --version: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while asking " + blender + " for its version");
        }
    }

    /** The blender executable, or an {@link EngineUnavailableException} saying how to install it. */
    Path executable() throws EngineUnavailableException {
        return executable(configuredExecutable);
    }

    /** The program {@code explicit} names, or blender on the PATH when it is empty. */
    static Path executable(String explicit) throws EngineUnavailableException {
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p;
            }
            throw new EngineUnavailableException("Blender is not installed at " + explicit + " (configuration " + PID
                    + ", property executable: not an executable file). Install it (Debian/Ubuntu: apt-get install blender) "
                    + "or configure " + PID + " executable=<path> (docs/configuration.md)");
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "blender");
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return p;
                }
            }
        }
        throw new EngineUnavailableException("Blender is not installed: no 'blender' on the PATH (" + path
                + "). Install it (Debian/Ubuntu: apt-get install blender; or blender.org) or configure " + PID
                + " executable=<path> (docs/configuration.md)");
    }

    /**
     * Blender's threads for one tile: all the cores of this machine (or more where the request asks for more).
     * A node holding several tiles at once (its capacity, 2 by default) then lets the operating system share
     * its cores between them, so when one band costs less than another (the sky above a detailed floor: the
     * two bands of the benchmark's frame took 6.5 and 9.7 s on one thread each) the band still running gets
     * the cores of the finished one instead of leaving them idle. The job's {@code threads} (1) is meant for
     * engines whose tiles run one per core.
     */
    static int threads(RenderSettings settings) {
        return Math.max(settings.threads(), Runtime.getRuntime().availableProcessors());
    }

    /** The command line for one run of Tessera's {@code script} on the scene, rendering {@code frame} or nothing. */
    static List<String> command(Path blender, RenderScene scene, Path script, int threads, Integer frame) {
        List<String> cmd = new ArrayList<>();
        if (frame == null && Files.isExecutable(NICE)) {
            // the inspection (a Blender start and file load, ≈2 s of one core) runs beside the first frame's tiles
            // and no job waits for it: at the lowest priority it takes only cores the renders leave idle
            cmd.addAll(List.of(NICE.toString(), "-n", "19"));
        }
        cmd.addAll(List.of(blender.toString(), "-b", "--factory-startup", "-noaudio",
                "--disable-autoexec", scene.file().toString(), "--python", script.toString()));
        if (frame != null) {
            cmd.addAll(List.of("-t", String.valueOf(threads), "-f", String.valueOf(frame)));
        }
        return cmd;
    }

    /**
     * What Blender says about the scene (render engine, whole-image passes, adaptive sampling, the scene's
     * own size and frame range), cached per file version.
     *
     * @throws SceneException             when Blender cannot read the file
     * @throws EngineUnavailableException when Blender (or the sandbox) is not available here
     */
    public SceneFacts inspect(RenderScene scene) throws RenderException {
        Path file = scene.file();
        long size;
        long modified;
        try {
            size = Files.size(file);
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new SceneException("cannot read the scene " + scene.mainFile() + ": " + e.getMessage(), e);
        }
        synchronized (inspected) {
            Inspected i = inspected.get(file);
            if (i != null && i.size() == size && i.modified() == modified) {
                return i.facts();
            }
        }
        Run run = run(scene, BlenderScript.inspect(scene.file().toString()), 1, null, "inspect");
        try {
            String line = run.output().scene();
            if (line == null) {
                throw failure(scene, null, run, "Blender reported nothing about");
            }
            SceneFacts facts = SceneFacts.parse(line);
            synchronized (inspected) {
                inspected.put(file, new Inspected(size, modified, facts));
            }
            return facts;
        } finally {
            EngineProcesses.deleteTree(run.work());
        }
    }

    @Override
    public TilePixels renderTile(RenderScene scene, int frame, Tile tile, RenderSettings settings) throws RenderException {
        if (!tile.fitsIn(settings.width(), settings.height())) {
            throw new RenderException("tile " + tile + " lies outside " + settings.width() + "x" + settings.height());
        }
        Run run = null;
        try {
            run = run(scene, null, threads(settings), frame, "tile", tile, settings);
            Path work = run.work();
            Path png;
            try (Stream<Path> files = Files.list(work)) {
                png = files.filter(f -> f.getFileName().toString().endsWith(".png")).findFirst().orElse(null);
            }
            if (run.exitCode() != 0 || png == null) {
                throw failure(scene, tile, run, "Blender failed (exit " + run.exitCode() + ") on frame " + frame + " of");
            }
            int[] region = region(run.output().region(), tile, settings);
            PngImage part = PngImage.read(png);
            if (part.width() != region[2] - region[0] || part.height() != region[3] - region[1]) {
                throw new RenderException("blender wrote a " + part.width() + "x" + part.height() + " image for the region "
                        + run.output().region() + " of a " + settings.width() + "x" + settings.height() + " frame");
            }
            short[] rgb = new short[tile.pixels() * 3];
            for (int row = 0; row < tile.height(); row++) {
                System.arraycopy(part.rgb(), ((tile.y() - region[1] + row) * part.width() + tile.x() - region[0]) * 3, rgb,
                        row * tile.width() * 3, tile.width() * 3);
            }
            double seconds = run.output().traceSeconds();
            double[] rows = null;
            if (seconds >= 0) {
                rows = new double[tile.height()];
                Arrays.fill(rows, seconds / tile.height());
            }
            return new TilePixels(tile, rgb, rows);
        } catch (IOException e) {
            throw new RenderException("cannot read Blender's output for tile " + tile + ": " + e.getMessage(), e);
        } finally {
            if (run != null) {
                EngineProcesses.deleteTree(run.work());
            }
        }
    }

    /**
     * The region Blender rendered ({@code x0 y0 x1 y1}, top-down, exclusive ends) as Tessera's script named it;
     * it must hold the tile.
     */
    private static int[] region(String line, Tile tile, RenderSettings settings) throws RenderException {
        int[] r = new int[4];
        try {
            String[] p = line.trim().split("\\s+");
            for (int i = 0; i < 4; i++) {
                r[i] = Integer.parseInt(p[i]);
            }
        } catch (RuntimeException e) {
            throw new RenderException("Blender's run named no rendered region (got " + line + ")");
        }
        if (r[0] < 0 || r[1] < 0 || r[2] > settings.width() || r[3] > settings.height() || r[0] > tile.x()
                || r[1] > tile.y() || r[2] < tile.x() + tile.width() || r[3] < tile.y() + tile.height()) {
            throw new RenderException("Blender rendered the region " + line + ", which does not hold tile " + tile);
        }
        return r;
    }

    /** A finished blender run: its exit code, its output and its scratch folder (the caller deletes it). */
    private record Run(int exitCode, BlenderOutput output, String text, Path work) {
    }

    /**
     * Runs Blender on the scene in a new scratch folder with Tessera's script: {@code inspectScript} for an
     * inspection (no frame), else the tile script of {@code tile} that {@code renderTile} gives.
     */
    private Run run(RenderScene scene, String inspectScript, int threads, Integer frame, String what)
            throws RenderException {
        return run(scene, inspectScript, threads, frame, what, null, null);
    }

    private Run run(RenderScene scene, String inspectScript, int threads, Integer frame, String what, Tile tile,
            RenderSettings settings) throws RenderException {
        Path blender = executable();
        if (!scene.exists()) {
            throw new SceneException("the scene file " + scene.file() + " does not exist or cannot be read");
        }
        Path work;
        try {
            work = Files.createTempDirectory("tessera-blender-");
        } catch (IOException e) {
            throw new RenderException("cannot create a temporary folder for Blender: " + e.getMessage(), e);
        }
        EngineProcesses.Entry entry = null;
        boolean done = false;
        try {
            Path script = work.resolve("tessera_" + what + ".py");
            String text = inspectScript != null ? inspectScript
                    : BlenderScript.tile(scene.file().toString(), tile, settings, work.resolve("tile_").toString());
            Files.writeString(script, text);
            // Blender's own temporary folder (blender_XXXX) inside the scratch folder: a run that ends through
            // os._exit (Tessera's script on a bad scene) or a kill leaves nothing behind, also without the sandbox
            ProcessBuilder pb = SceneSandbox.system().builder(command(blender, scene, script, threads, frame),
                    scene.folder(), work, List.of(), Map.of("TMPDIR", work.toString()));
            entry = running.start(pb, work);
            Process process = entry.process();
            process.getOutputStream().close();
            BlenderOutput output = BlenderOutput.follow(process);
            int rc = process.waitFor();
            String messages = output.awaitText();
            done = true;
            return new Run(rc, output, messages, work);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException("Blender " + what + " of " + scene.mainFile() + " interrupted");
        } catch (IOException e) {
            throw new RenderException("cannot run " + blender + ": " + e.getMessage(), e);
        } finally {
            running.finish(entry);
            if (!done) {
                EngineProcesses.deleteTree(work);
            }
        }
    }

    /** The exception for a failed run: the scene's fault when Tessera's script or Blender said so. */
    private static RenderException failure(RenderScene scene, Tile tile, Run run, String prefix) {
        String error = run.output().error();
        if (error != null) {
            String blenders = BlenderOutput.quote(run.text(), QUOTED_LINES);
            return new SceneException("cannot render " + scene.mainFile() + ": " + error
                    + (error.startsWith("Blender could not read") ? "; Blender said:\n" + blenders : ""));
        }
        String quoted = BlenderOutput.quote(run.text(), QUOTED_LINES);
        String text = run.text();
        // Blender's own "Error: …" lines (unreadable file, no camera, "Build without OpenImageDenoiser") come
        // again on any node with the same Blender: the job fails at once instead of retrying the tile elsewhere
        if (text.lines().anyMatch(l -> l.startsWith("Error: ")) || text.contains("Traceback")) {
            return new SceneException(prefix + " " + scene.mainFile() + (tile == null ? "" : " (tile " + tile + ")")
                    + ":\n" + quoted);
        }
        return new RenderException(prefix + " " + scene.mainFile() + (tile == null ? "" : " (tile " + tile + ")") + ":\n"
                + quoted);
    }
}
