// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.povray;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tessera.render.core.EngineCapability;
import org.tessera.render.core.EngineOptionsException;
import org.tessera.render.core.EngineUnavailableException;
import org.tessera.internal.render.core.EngineProcesses;
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
 * Runs {@code povray} for one tile: {@code +SR/+ER/+SC/+EC} select the tile's rows and columns
 * (1-based, inclusive), {@code +K} sets the animation clock, {@code -D} turns the display off, and the
 * output is a 16-bit PPM. POV-Ray writes a full-size image even for a partial render, so the tile's
 * rectangle is cropped from it. The program is {@code povray} on the PATH, or the {@code executable} of the
 * configuration {@value #PID} (applied live). Nothing else that changes what POV-Ray computes is set (no render block size:
 * isosurfaces depend on it), so the assembled frame equals a plain {@code povray} render.
 */
@Component(service = RenderEngine.class, configurationPid = PovrayEngine.PID)
@Designate(ocd = PovrayEngine.Config.class)
public class PovrayEngine implements RenderEngine {
    /** Configuration PID of the POV-Ray engine. */
    public static final String PID = "org.tessera.render.povray";

    /** Settings of the POV-Ray engine. */
    @ObjectClassDefinition(id = PID, name = "Tessera POV-Ray engine",
            description = "Renders tiles with POV-Ray (docs/renderer.md).")
    public @interface Config {
        @AttributeDefinition(description = "The povray program; empty = 'povray' on the PATH.", required = false)
        String executable() default "";
    }

    /** The configured program, or empty for the PATH; changes apply to the next tile. */
    private volatile String configuredExecutable = "";

    /** Lines of POV-Ray's own messages quoted in an error. */
    private static final int QUOTED_LINES = 12;

    /** The povray processes now rendering tiles, and their scratch folders. */
    private final EngineProcesses running = new EngineProcesses("POV-Ray", "povray-cleanup");

    /** A JVM ended by Ctrl-C or SIGTERM: the hook kills the povray processes still running ({@link EngineProcesses}). */
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
        return "povray";
    }

    /** {@code povray --version}'s answer, read once per executable. */
    private volatile String[] version;

    /**
     * POV-Ray's own version from {@code povray --version} ({@code POV-Ray 3.7.0.10.unofficial} gives
     * {@code 3.7.0.10}), read once; {@code "unknown"} when POV-Ray is missing or does not say.
     */
    @Override
    public String version() {
        Path povray;
        try {
            povray = executable();
        } catch (EngineUnavailableException e) {
            return "unknown";
        }
        String[] cached = version;
        if (cached != null && cached[0].equals(povray.toString())) {
            return cached[1];
        }
        String v = readVersion(povray);
        version = new String[] {povray.toString(), v};
        return v;
    }

    static String readVersion(Path povray) {
        try {
            Process p = new ProcessBuilder(povray.toString(), "--version").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return parseVersion(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The dotted number after {@code POV-Ray} in {@code --version}'s text, or {@code "unknown"}. */
    static String parseVersion(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("POV-Ray\\s+v?(\\d+(?:\\.\\d+)*)").matcher(text);
        return m.find() ? m.group(1) : "unknown";
    }

    @Override
    public Set<EngineCapability> capabilities() {
        return EnumSet.of(EngineCapability.ANIMATION_CLOCK, EngineCapability.ANTIALIASING);
    }

    @Override
    public boolean accepts(RenderScene scene) {
        return scene.extension().equals("pov");
    }

    /**
     * One row band per worker: each POV-Ray process parses the scene and shoots its photons again
     * (benchmark.pov: about 15 s of fixed cost per process here), which must be amortised.
     */
    @Override
    public TilePlan planTiles(int width, int height, int workers) {
        return TilePlan.bands(width, height, Math.max(1, workers));
    }

    /**
     * With a measured row-cost profile the bands have equal cost instead of equal height: each process
     * pays the same parse and photon cost, so only balanced bands finish together (benchmark.pov: the
     * top half costs twice the bottom half).
     */
    @Override
    public TilePlan planTiles(int width, int height, int workers, double[] rowCosts) {
        return TilePlan.bandsByCost(width, height, Math.max(1, workers), rowCosts);
    }

    /** POV-Ray's default render block edge in pixels ({@code Render_Block_Size}). */
    static final int DEFAULT_BLOCK_SIZE = 32;

    /**
     * POV-Ray's render block edge in pixels for these settings: its default. The engine never sets it:
     * what POV-Ray computes for some objects (isosurfaces) depends on the block size, and a tiled frame
     * must equal a plain {@code povray} render of the same options.
     */
    static int blockSize(RenderSettings s) {
        try {
            return PovrayOptions.blockSize(PovrayOptions.arguments(s.engineOptions()), s.engineIni(), DEFAULT_BLOCK_SIZE);
        } catch (EngineOptionsException e) {
            return DEFAULT_BLOCK_SIZE;
        }
    }

    /** The user's switches and INI text: anything that would break tiling or the node is refused by name. */
    @Override
    public void checkOptions(String options, String ini) throws EngineOptionsException {
        PovrayOptions.arguments(options);
        PovrayOptions.checkIni(ini);
    }

    /** The povray executable, or an {@link EngineUnavailableException} saying how to install it. */
    Path executable() throws EngineUnavailableException {
        return executable(configuredExecutable);
    }

    /** The program {@code explicit} names, else {@code povray} on the PATH. */
    static Path executable(String explicit) throws EngineUnavailableException {
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit.strip());
            if (Files.isExecutable(p)) {
                return p;
            }
            throw new EngineUnavailableException("the POV-Ray executable " + explicit + " (configuration " + PID
                    + ", property executable) is not an executable file");
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "povray");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new EngineUnavailableException("POV-Ray is not installed: no 'povray' on the PATH ("
                + path + "). Install it (Debian/Ubuntu: apt-get install povray) or configure " + PID + " executable=<path> (docs/configuration.md)");
    }

    /** The command line for one tile, without an INI file. */
    static List<String> command(Path povray, RenderScene scene, Tile tile, RenderSettings s, Path output) {
        try {
            return command(povray, scene, tile, s, output, null);
        } catch (EngineOptionsException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The command line for one tile: the engine's defaults ({@code +WT}, antialiasing from
     * {@link RenderSettings#antialias()}), then the user's INI file and options, which override them, then
     * what tiling needs (input, output, size, region, clock), which the options cannot set.
     *
     * @param ini the user's INI text written to a file, or null when there is none
     */
    static List<String> command(Path povray, RenderScene scene, Tile tile, RenderSettings s, Path output, Path ini)
            throws EngineOptionsException {
        List<String> user = PovrayOptions.arguments(s.engineOptions());
        List<String> cmd = new ArrayList<>();
        cmd.add(povray.toString());
        cmd.add("+WT" + s.threads());
        if (s.antialias() > 1) {
            cmd.add("+A0.3");
            cmd.add("+AM2");
            cmd.add("+R" + Math.min(9, s.antialias()));
        } else {
            cmd.add("-A");
        }
        if (ini != null) {
            cmd.add(ini.toString());
        }
        cmd.addAll(user);
        cmd.add("-D");
        cmd.add("+I" + scene.file());
        cmd.add("+O" + output);
        cmd.add("+FP16");
        cmd.add("+W" + s.width());
        cmd.add("+H" + s.height());
        cmd.add("+SR" + (tile.y() + 1));
        cmd.add("+ER" + (tile.y() + tile.height()));
        cmd.add("+SC" + (tile.x() + 1));
        cmd.add("+EC" + (tile.x() + tile.width()));
        cmd.add("+K" + String.format(Locale.ROOT, "%.9f", s.clock()));
        cmd.add("+L" + scene.folder());
        cmd.add("-P");
        return cmd;
    }

    @Override
    public TilePixels renderTile(RenderScene scene, int frame, Tile tile, RenderSettings settings) throws RenderException {
        if (!tile.fitsIn(settings.width(), settings.height())) {
            throw new RenderException("tile " + tile + " lies outside " + settings.width() + "x" + settings.height());
        }
        Path povray = executable();
        Path work;
        try {
            work = Files.createTempDirectory("tessera-povray-");
        } catch (IOException e) {
            throw new RenderException("cannot create a temporary folder for POV-Ray: " + e.getMessage(), e);
        }
        Path output = work.resolve("tile.ppm");
        EngineProcesses.Entry run = null;
        try {
            checkOptions(settings.engineOptions(), settings.engineIni()); // a node gets them from the network
            Path ini = null;
            if (!settings.engineIni().isEmpty()) {
                ini = work.resolve("options.ini");
                Files.writeString(ini, settings.engineIni(), StandardCharsets.UTF_8);
            }
            // the scene is untrusted input: POV-Ray reads its folder and the system's, writes only `work`, and gets
            // a clean environment (no node token); HOME is `work` (POV-Ray wants a writable ~/.povray)
            ProcessBuilder pb = SceneSandbox.system().builder(command(povray, scene, tile, settings, output, ini),
                    scene.folder(), work, List.of(), Map.of());
            run = running.start(pb, work);
            Process process = run.process();
            process.getOutputStream().close();
            PovrayOutput log = PovrayOutput.follow(process);
            int rc = process.waitFor();
            String messages = log.awaitText();
            if (rc != 0 || !Files.exists(output)) {
                String quoted = quote(messages);
                if (messages.contains("Parse Error") || messages.contains("Fatal error in parser")
                        || messages.contains("Cannot open") || messages.contains("Cannot find")) {
                    throw new SceneException("POV-Ray cannot parse " + scene.mainFile() + ":\n" + quoted);
                }
                throw new RenderException("povray failed (exit " + rc + ") on tile " + tile + " of frame " + frame
                        + ":\n" + quoted);
            }
            PpmImage full = PpmImage.read(output);
            if (full.width() != settings.width() || full.height() != settings.height()) {
                throw new RenderException("povray wrote a " + full.width() + "x" + full.height() + " image, expected "
                        + settings.width() + "x" + settings.height());
            }
            short[] rgb = new short[tile.pixels() * 3];
            for (int row = 0; row < tile.height(); row++) {
                System.arraycopy(full.rgb(), ((tile.y() + row) * full.width() + tile.x()) * 3, rgb,
                        row * tile.width() * 3, tile.width() * 3);
            }
            return new TilePixels(tile, rgb, log.rowSeconds(tile, blockSize(settings)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException("POV-Ray render of tile " + tile + " interrupted");
        } catch (IOException e) {
            throw new RenderException("cannot run " + povray + ": " + e.getMessage(), e);
        } finally {
            running.finish(run);
            // besides tile.ppm, a killed or failed povray leaves tile.pov-state (its continue-trace state)
            EngineProcesses.deleteTree(work);
        }
    }

    /** The error lines of POV-Ray's output, or its last lines when it named none. */
    private static String quote(String messages) {
        List<String> lines = PovrayOutput.unwrap(messages).lines().filter(l -> !l.isBlank()).toList();
        List<String> errors = lines.stream()
                .filter(l -> l.contains("Error") || l.contains("error") || l.startsWith("File '") || l.contains("Cannot"))
                .toList();
        List<String> pick = errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - QUOTED_LINES), lines.size())
                : errors.subList(0, Math.min(QUOTED_LINES, errors.size()));
        return "  " + String.join("\n  ", pick);
    }
}
