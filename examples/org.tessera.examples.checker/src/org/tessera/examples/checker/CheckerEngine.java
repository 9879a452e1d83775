// SPDX-License-Identifier: EPL-2.0
package org.tessera.examples.checker;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tessera.render.core.EngineCapability;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.SceneException;

/**
 * The "checker" debug engine: renders a {@code .checker} scene (a properties file with
 * {@code cell=<pixels>}) as a checkerboard that moves one pixel per frame, so seams, offsets and frame
 * order are visible at a glance. A third-party engine needs nothing more than this class.
 * <p>
 * Its settings are a typed configuration ({@link Config}, persistent id {@value #PID}): Configuration
 * Admin hands them to {@link #configure} when the component starts and again whenever they change, so a
 * new default cell size applies to the next tile without a restart.
 */
@Component(service = RenderEngine.class, configurationPid = CheckerEngine.PID)
@Designate(ocd = CheckerEngine.Config.class)
public class CheckerEngine implements RenderEngine {

    /** Name users pass as {@code --engine}. */
    public static final String NAME = "checker";

    /** Persistent id of the engine's configuration. */
    public static final String PID = "org.tessera.examples.checker.engine";

    /** The engine's settings, as Configuration Admin and the Metatype service describe them. */
    @ObjectClassDefinition(name = "Checker engine (example plugin)",
            description = "Settings of the example plugin's checkerboard debug engine")
    public @interface Config {
        @AttributeDefinition(name = "Default cell size", min = "1", max = "4096",
                description = "Square size in pixels for .checker scenes that do not set cell=")
        int default_cell() default 32;
    }

    private volatile int defaultCell = 32;

    /**
     * Applies the configuration: at activation and on every change ({@code @Modified}), so the component
     * is not restarted.
     *
     * @throws IllegalArgumentException when a value is out of range; the previous settings stay
     */
    @Activate
    @Modified
    void configure(Config config) {
        int cell = config.default_cell();
        if (cell < 1 || cell > 4096) {
            throw new IllegalArgumentException(PID + ": default_cell must be 1..4096, not " + cell);
        }
        defaultCell = cell;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EngineCapability> capabilities() {
        return EnumSet.of(EngineCapability.ANIMATION_CLOCK, EngineCapability.TILE_GRID);
    }

    @Override
    public boolean accepts(RenderScene scene) {
        return NAME.equals(scene.extension());
    }

    @Override
    public TilePixels renderTile(RenderScene scene, int frame, Tile tile, RenderSettings settings) throws RenderException {
        int cell = cellSize(scene, defaultCell);
        short[] rgb = new short[tile.pixels() * 3];
        int i = 0;
        for (int y = tile.y(); y < tile.y() + tile.height(); y++) {
            for (int x = tile.x(); x < tile.x() + tile.width(); x++) {
                int c = Checkerboard.rgb(x + frame, y, cell);
                rgb[i++] = (short) (((c >> 16) & 0xFF) * 257);
                rgb[i++] = (short) (((c >> 8) & 0xFF) * 257);
                rgb[i++] = (short) ((c & 0xFF) * 257);
            }
        }
        return new TilePixels(tile, rgb);
    }

    private static int cellSize(RenderScene scene, int defaultCell) throws RenderException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(scene.file())) {
            p.load(r);
        } catch (IOException e) {
            throw new SceneException("cannot read checker scene " + scene.file() + ": " + e.getMessage());
        }
        String value = p.getProperty("cell", String.valueOf(defaultCell)).trim();
        try {
            int cell = Integer.parseInt(value);
            if (cell < 1 || cell > 4096) {
                throw new SceneException("checker scene " + scene.file() + ": cell must be 1..4096, not " + cell);
            }
            return cell;
        } catch (NumberFormatException e) {
            throw new SceneException("checker scene " + scene.file() + ": cell must be a whole number, not \"" + value + "\"");
        }
    }
}
