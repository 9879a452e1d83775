// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.blender;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Blender reports about a scene file, as Tessera's script prints it.
 *
 * @param engine      the scene's render engine ({@code CYCLES}, {@code BLENDER_EEVEE}, …)
 * @param wholeImage  the whole-image passes that forbid border renders ({@code denoising},
 *                    {@code compositor-nodes}, {@code sequencer-strips}); empty when the frame may be split
 * @param adaptive    whether Cycles' adaptive sampling is on (tiles are then rendered with a margin)
 * @param width       the scene's own output width in pixels (resolution times percentage)
 * @param height      the scene's own output height in pixels
 * @param frameStart  the scene's first frame
 * @param frameEnd    the scene's last frame
 * @param bitDepth    bits per channel of the scene's own output: 16 for a 16-bit PNG, else 8
 */
public record SceneFacts(String engine, List<String> wholeImage, boolean adaptive, int width, int height, int frameStart,
        int frameEnd, int bitDepth) {

    /** Whether frames must be rendered whole (a whole-image pass runs after path tracing). */
    public boolean wholeFrame() {
        return !wholeImage.isEmpty();
    }

    /** Parses {@code engine=CYCLES whole=denoising,compositor-nodes adaptive=1 size=96x72 frames=1-3 depth=16}. */
    static SceneFacts parse(String line) {
        Map<String, String> f = new TreeMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                f.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        String whole = f.getOrDefault("whole", "-");
        String[] size = f.getOrDefault("size", "0x0").split("x");
        String[] frames = f.getOrDefault("frames", "1-1").split("(?<=[0-9])-");
        try {
            return new SceneFacts(f.getOrDefault("engine", "?"), whole.equals("-") ? List.of() : List.of(whole.split(",")),
                    "1".equals(f.get("adaptive")), Integer.parseInt(size[0]), Integer.parseInt(size[1]),
                    Integer.parseInt(frames[0]), Integer.parseInt(frames[frames.length - 1]),
                    "16".equals(f.get("depth")) ? 16 : 8);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unexpected scene report from Blender: " + line, e);
        }
    }
}
