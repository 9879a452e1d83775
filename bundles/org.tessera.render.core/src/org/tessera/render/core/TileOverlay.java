// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the cluster's tile visualisation ({@code setShowTiles}, {@link DisplayOptions#showTiles()}) into
 * an image: a one-pixel {@link #BORDER} line around each tile and the name of the node that rendered it
 * in {@link #TEXT} on a black box at the tile's top-left corner, in a built-in 5×7 pixel font (no system
 * fonts, so every machine draws the same pixels). The live view draws the same things with SWT.
 */
public final class TileOverlay {
    /** Border colour, 8 bits per channel: magenta. */
    public static final int[] BORDER = {255, 0, 255};
    /** Text colour: yellow on black. */
    public static final int[] TEXT = {255, 255, 0};
    /** Glyph cell in pixels (5×7 glyph plus one pixel of spacing) at scale 1. */
    public static final int CELL_WIDTH = 6, CELL_HEIGHT = 8;

    private static final Map<Character, String[]> FONT = new HashMap<>();

    static {
        glyph('A', " ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #");
        glyph('B', "#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### ");
        glyph('C', " ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### ");
        glyph('D', "#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### ");
        glyph('E', "#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####");
        glyph('F', "#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    ");
        glyph('G', " ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####");
        glyph('H', "#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #");
        glyph('I', " ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### ");
        glyph('J', "  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  ");
        glyph('K', "#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #");
        glyph('L', "#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####");
        glyph('M', "#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #");
        glyph('N', "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #", "#   #");
        glyph('O', " ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### ");
        glyph('P', "#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    ");
        glyph('Q', " ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #");
        glyph('R', "#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #");
        glyph('S', " ####", "#    ", "#    ", " ### ", "    #", "    #", "#### ");
        glyph('T', "#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ");
        glyph('U', "#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### ");
        glyph('V', "#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  ");
        glyph('W', "#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # ");
        glyph('X', "#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #");
        glyph('Y', "#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  ");
        glyph('Z', "#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####");
        glyph('0', " ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### ");
        glyph('1', "  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### ");
        glyph('2', " ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####");
        glyph('3', "#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### ");
        glyph('4', "   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # ");
        glyph('5', "#####", "#    ", "#### ", "    #", "    #", "#   #", " ### ");
        glyph('6', "  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### ");
        glyph('7', "#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   ");
        glyph('8', " ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### ");
        glyph('9', " ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  ");
        glyph('-', "     ", "     ", "     ", "#####", "     ", "     ", "     ");
        glyph('_', "     ", "     ", "     ", "     ", "     ", "     ", "#####");
        glyph('.', "     ", "     ", "     ", "     ", "     ", " ##  ", " ##  ");
        glyph(':', "     ", " ##  ", " ##  ", "     ", " ##  ", " ##  ", "     ");
        glyph('/', "     ", "    #", "   # ", "  #  ", " #   ", "#    ", "     ");
        glyph(' ', "     ", "     ", "     ", "     ", "     ", "     ", "     ");
        glyph('?', " ### ", "#   #", "    #", "   # ", "  #  ", "     ", "  #  ");
    }

    private TileOverlay() {
    }

    private static void glyph(char c, String... rows) {
        FONT.put(c, rows);
    }

    /** Whether glyph pixel (gx, gy) of {@code c} is set; lower case reads as upper case, unknown as '?'. */
    public static boolean glyphPixel(char c, int gx, int gy) {
        String[] rows = FONT.getOrDefault(Character.toUpperCase(c), FONT.get('?'));
        return gx >= 0 && gx < 5 && gy >= 0 && gy < 7 && rows[gy].charAt(gx) == '#';
    }

    /** Draws one tile's border and label into a 16-bit RGB image of {@code width} × {@code height}. */
    public static void draw(short[] rgb, int width, int height, Tile tile, String node) {
        int x0 = tile.x(), y0 = tile.y(), x1 = tile.x() + tile.width() - 1, y1 = tile.y() + tile.height() - 1;
        for (int x = x0; x <= x1; x++) {
            set(rgb, width, height, x, y0, BORDER);
            set(rgb, width, height, x, y1, BORDER);
        }
        for (int y = y0; y <= y1; y++) {
            set(rgb, width, height, x0, y, BORDER);
            set(rgb, width, height, x1, y, BORDER);
        }
        label(rgb, width, height, x0 + 2, y0 + 2, node, x1 - 1, y1 - 1);
    }

    /**
     * Draws {@code text} at (x, y) in the 5×7 font, yellow on a black box, clipped to (maxX, maxY). Returns
     * the number of characters that fit.
     */
    public static int label(short[] rgb, int width, int height, int x, int y, String text, int maxX, int maxY) {
        String s = text == null ? "" : text.toUpperCase(Locale.ROOT);
        int fit = Math.max(0, Math.min(s.length(), (maxX - x + 1) / CELL_WIDTH));
        if (fit == 0 || y + CELL_HEIGHT - 1 > maxY) {
            return 0;
        }
        for (int cy = 0; cy < CELL_HEIGHT; cy++) {
            for (int cx = 0; cx < fit * CELL_WIDTH; cx++) {
                int g = cx / CELL_WIDTH;
                boolean on = glyphPixel(s.charAt(g), cx % CELL_WIDTH, cy);
                set(rgb, width, height, x + cx, y + cy, on ? TEXT : new int[] {0, 0, 0});
            }
        }
        return fit;
    }

    private static void set(short[] rgb, int width, int height, int x, int y, int[] c) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return;
        }
        int o = 3 * (y * width + x);
        for (int k = 0; k < 3; k++) {
            rgb[o + k] = (short) (c[k] * 257);
        }
    }
}
