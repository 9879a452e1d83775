// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.blender;

import java.util.Locale;

import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.Tile;

/**
 * The Python that Tessera itself runs inside Blender (the scene's own scripts never run:
 * {@code --disable-autoexec}). Written into the tile's scratch folder and run with {@code --python}
 * before {@code -f N}, it checks that the file was read, reports the scene's facts on a
 * {@value #SCENE} line, and for a tile sets Cycles CPU, the requested resolution, the border of the tile
 * (plus {@link #MARGIN} pixels where adaptive sampling looks at neighbouring pixels, or the whole frame
 * where a whole-image pass runs), cropped to the border, and a 16-bit RGB PNG output into the scratch
 * folder; it names the rendered region on a {@value #REGION} line.
 */
final class BlenderScript {
    /** Prefix of the line with the scene's facts: {@code engine=… whole=…|- adaptive=0|1 size=WxH frames=S-E depth=8|16}. */
    static final String SCENE = "TESSERA-SCENE ";
    /** Prefix of the line naming the rendered region, top-down pixels: {@code x0 y0 x1 y1} (exclusive ends). */
    static final String REGION = "TESSERA-REGION ";
    /** Prefix of an error of the scene found by the script; the script then exits with {@link #SCENE_ERROR}. */
    static final String ERROR = "TESSERA-ERROR ";
    /** Exit code of the script for a scene Tessera cannot render (not Cycles, no camera, unreadable). */
    static final int SCENE_ERROR = 4;
    /**
     * Pixels rendered around a tile when adaptive sampling is on: Cycles decides when a pixel has converged
     * from a filtered map that looks at its neighbours, so a border render's edge pixels get other samples
     * than in a full render. Measured with Blender 3.4.1: without a margin the outermost ring of a border
     * differs (49 of 1200 pixels), with a margin of 1 to 8 pixels the tile is identical; 8 leaves room.
     */
    static final int MARGIN = 8;

    private BlenderScript() {
    }

    private static final String COMMON = """
            import bpy, os, sys
            def tessera_fail(message):
                print("%1$s" + message.replace("\\n", " "), flush=True)
                sys.stdout.flush()
                os._exit(%2$d)
            if not bpy.data.filepath or os.path.realpath(bpy.data.filepath) != os.path.realpath(MAIN):
                tessera_fail("Blender could not read " + MAIN + " as a .blend file")
            s = bpy.context.scene
            r = s.render
            whole = []
            if r.engine == 'CYCLES' and s.cycles.use_denoising:
                whole.append("denoising")
            if r.use_compositing and s.use_nodes and s.node_tree is not None and any(
                    n.type not in ('R_LAYERS', 'COMPOSITE', 'VIEWER', 'REROUTE', 'FRAME') for n in s.node_tree.nodes):
                whole.append("compositor-nodes")
            if r.use_sequencer and s.sequence_editor is not None and len(s.sequence_editor.sequences_all) > 0:
                whole.append("sequencer-strips")
            adaptive = r.engine == 'CYCLES' and s.cycles.use_adaptive_sampling
            depth = 16 if r.image_settings.file_format == 'PNG' and r.image_settings.color_depth == '16' else 8
            print("%3$sengine=%%s whole=%%s adaptive=%%d size=%%dx%%d frames=%%d-%%d depth=%%d" %% (r.engine,
                  ",".join(whole) or "-", 1 if adaptive else 0, r.resolution_x * r.resolution_percentage // 100,
                  r.resolution_y * r.resolution_percentage // 100, s.frame_start, s.frame_end, depth), flush=True)
            """;

    /** The script that only reports the scene's facts and quits (Blender then renders nothing). */
    static String inspect(String mainFile) {
        return "MAIN = " + py(mainFile) + "\n" + COMMON.formatted(ERROR, SCENE_ERROR, SCENE) + "sys.stdout.flush()\nos._exit(0)\n";
    }

    /** The script for one tile of a frame, writing {@code output}{@code ####.png}. */
    static String tile(String mainFile, Tile tile, RenderSettings settings, String output) {
        String head = String.format(Locale.ROOT, "MAIN = %s\nW, H = %d, %d\nX, Y, TW, TH = %d, %d, %d, %d\nMARGIN = %d\nOUT = %s\n",
                py(mainFile), settings.width(), settings.height(), tile.x(), tile.y(), tile.width(), tile.height(), MARGIN,
                py(output));
        return head + COMMON.formatted(ERROR, SCENE_ERROR, SCENE) + """
                if r.engine != 'CYCLES':
                    tessera_fail("the scene renders with " + r.engine + "; Tessera's Blender engine renders Cycles scenes "
                                 + "only (Render Properties > Render Engine: Cycles)")
                if s.camera is None:
                    tessera_fail("the scene has no active camera")
                s.cycles.device = 'CPU'
                r.resolution_x, r.resolution_y, r.resolution_percentage = W, H, 100
                if whole:
                    x0, y0, x1, y1 = 0, 0, W, H
                elif adaptive:
                    x0, y0 = max(0, X - MARGIN), max(0, Y - MARGIN)
                    x1, y1 = min(W, X + TW + MARGIN), min(H, Y + TH + MARGIN)
                else:
                    x0, y0, x1, y1 = X, Y, X + TW, Y + TH
                r.use_border = (x0, y0, x1, y1) != (0, 0, W, H)
                # the PNG holds the region only: less to write, read and keep than the whole frame
                r.use_crop_to_border = r.use_border
                # Blender truncates border * size to whole pixels and counts rows from the bottom: the half pixel
                # keeps float rounding from moving an edge by one
                r.border_min_x, r.border_max_x = (x0 + 0.5) / W, min(1.0, (x1 + 0.5) / W)
                r.border_min_y, r.border_max_y = (H - y1 + 0.5) / H, min(1.0, (H - y0 + 0.5) / H)
                im = r.image_settings
                im.file_format, im.color_mode, im.color_depth = 'PNG', 'RGB', '16'
                r.use_file_extension = True
                r.filepath = OUT
                print("%s%%d %%d %%d %%d" %% (x0, y0, x1, y1), flush=True)
                """.formatted(REGION);
    }

    /** A Python string literal of {@code text}. */
    static String py(String text) {
        StringBuilder b = new StringBuilder("'");
        for (char c : text.toCharArray()) {
            if (c == '\\' || c == '\'') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }
}
