// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.povray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.tessera.render.core.EngineOptionsException;

/**
 * The user's own POV-Ray options, checked before they reach a {@code povray} command line: switches such
 * as {@code +Q9 +A0.1 +AM2 +R3} or {@code Key=Value} pairs (from {@code tessera render --povray}), and
 * the text of an INI file ({@code --ini}). Everything that changes the picture is passed on unchanged;
 * what would break tiling or the node is refused with a message naming the option:
 * <ul>
 * <li>input and output: {@code +I}, {@code +O}, {@code +F…} ({@code Input_File_Name},
 * {@code Output_File_Name}, {@code Output_File_Type}, {@code Output_To_File}, {@code Bits_Per_Color}) —
 * Tessera gives the scene and writes the frames;</li>
 * <li>the render region {@code +SR +ER +SC +EC} ({@code Start_Row} …) — Tessera cuts the tiles;</li>
 * <li>size {@code +W<n> +H<n>} and animation {@code +K…} ({@code Width}, {@code Clock},
 * {@code Initial_Frame} …) — set by {@code --size} and {@code --frames};</li>
 * <li>display {@code +D} and pause {@code +P} — a node has no one to look or press a key;</li>
 * <li>shell-out commands ({@code Pre_Scene_Command} and the other {@code …_Command}/{@code …_Return}
 * keys), INI files read or written by POV-Ray ({@code Include_Ini}, {@code Create_Ini}, {@code +GI}) and
 * message streams written to files ({@code +GF<file>}, {@code Fatal_File} …).</li>
 * </ul>
 */
final class PovrayOptions {
    /** Longest INI text accepted, characters. */
    static final int MAX_INI_CHARS = 256 * 1024;
    /** Longest option string accepted, characters. */
    static final int MAX_OPTION_CHARS = 16 * 1024;

    private static final Set<String> FILE_STREAMS = Set.of("all_file", "debug_file", "fatal_file", "render_file",
            "statistic_file", "warning_file");
    private static final Set<String> FALSE = Set.of("off", "false", "no", "0");

    private PovrayOptions() {
    }

    /**
     * The checked options as {@code povray} arguments, in the user's order.
     *
     * @throws EngineOptionsException naming the first option that is refused
     */
    static List<String> arguments(String options) throws EngineOptionsException {
        if (options == null || options.isBlank()) {
            return List.of();
        }
        if (options.length() > MAX_OPTION_CHARS) {
            throw new EngineOptionsException("POV-Ray options are longer than " + MAX_OPTION_CHARS + " characters");
        }
        List<String> args = new ArrayList<>();
        for (String token : tokens(options)) {
            String why = check(token);
            if (why != null) {
                throw new EngineOptionsException("POV-Ray option " + token + " is not allowed: " + why);
            }
            args.add(token);
        }
        return args;
    }

    /**
     * Checks the text of an INI file line by line.
     *
     * @throws EngineOptionsException naming the line and the option that is refused
     */
    static void checkIni(String ini) throws EngineOptionsException {
        if (ini == null || ini.isEmpty()) {
            return;
        }
        if (ini.length() > MAX_INI_CHARS) {
            throw new EngineOptionsException("the POV-Ray INI file is longer than " + MAX_INI_CHARS + " characters");
        }
        if (ini.indexOf('\0') >= 0) {
            throw new EngineOptionsException("the POV-Ray INI file is not a text file");
        }
        int number = 0;
        for (String raw : ini.split("\r\n|\r|\n", -1)) {
            number++;
            String line = stripComment(raw).strip();
            if (line.isEmpty() || line.startsWith("[")) {
                continue; // blank, comment, or a section label
            }
            if (line.startsWith("+") || line.startsWith("-")) {
                for (String token : tokens(line)) {
                    String why = check(token);
                    if (why != null) {
                        throw new EngineOptionsException("INI line " + number + ": POV-Ray option " + token
                                + " is not allowed: " + why);
                    }
                }
            } else if (line.indexOf('=') > 0) {
                String why = checkKey(line);
                if (why != null) {
                    throw new EngineOptionsException("INI line " + number + ": " + line + " is not allowed: " + why);
                }
            } else {
                throw new EngineOptionsException("INI line " + number + ": '" + line + "' is neither Key=Value nor a "
                        + "+/- switch (an INI file cannot name other files to read)");
            }
        }
    }

    /** POV-Ray's render block edge the options set ({@code +BS<n>}, {@code Render_Block_Size}), or {@code fallback}. */
    static int blockSize(List<String> arguments, String ini, int fallback) {
        int size = fallback;
        if (ini != null) {
            for (String raw : ini.split("\r\n|\r|\n")) {
                String line = stripComment(raw).strip();
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).strip().equalsIgnoreCase("Render_Block_Size")) {
                    size = parsePositive(line.substring(eq + 1).strip(), size);
                } else if (line.startsWith("+") || line.startsWith("-")) {
                    size = blockSize(tokens(line), null, size);
                }
            }
        }
        for (String a : arguments) {
            String upper = a.toUpperCase(Locale.ROOT);
            if (upper.startsWith("+BS") || upper.startsWith("-BS")) {
                size = parsePositive(a.substring(3), size);
            } else if (a.indexOf('=') > 0 && a.substring(0, a.indexOf('=')).equalsIgnoreCase("Render_Block_Size")) {
                size = parsePositive(a.substring(a.indexOf('=') + 1), size);
            }
        }
        return size;
    }

    private static int parsePositive(String text, int fallback) {
        try {
            int v = (int) Double.parseDouble(text.strip());
            return v >= 4 ? v : fallback; // POV-Ray's smallest block is 4
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** An INI line without its comment ({@code ;} outside quotes). */
    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Whitespace-separated tokens; double quotes keep spaces inside a token. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder t = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                t.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (!t.isEmpty()) {
                    out.add(t.toString());
                    t.setLength(0);
                }
            } else {
                t.append(c);
            }
        }
        if (!t.isEmpty()) {
            out.add(t.toString());
        }
        return out;
    }

    /** Why one command-line token is refused, or null when it may pass. */
    static String check(String token) {
        if (token.startsWith("+") || token.startsWith("-")) {
            return checkSwitch(token.charAt(0) == '+', token.substring(1).toUpperCase(Locale.ROOT));
        }
        if (token.indexOf('=') > 0) {
            return checkKey(token);
        }
        return "neither a +/- switch nor Key=Value (give the INI file with --ini; the scene is the render's own)";
    }

    private static String checkSwitch(boolean plus, String s) {
        if (s.isEmpty()) {
            return "an empty switch";
        }
        char c = s.charAt(0);
        String rest = s.substring(1);
        boolean number = !rest.isEmpty() && (Character.isDigit(rest.charAt(0)) || rest.charAt(0) == '.');
        switch (c) {
            case 'I':
                return "the input file is the scene Tessera renders";
            case 'O':
                return "Tessera writes the frames itself (tessera render --out)";
            case 'F':
                return "the output format is Tessera's (PNG frames, tessera render --bits)";
            case 'S', 'E':
                if (rest.startsWith("R") || rest.startsWith("C") || number || rest.isEmpty()) {
                    return "the render region is set per tile by Tessera";
                }
                if (rest.startsWith("F")) {
                    return "frames are chosen with tessera render --frames";
                }
                return null;
            case 'K':
                return "the animation clock and frames are set by tessera render --frames";
            case 'D':
                return plus ? "a node has no display" : null;
            case 'P':
                return plus ? "a node would wait for a key press" : null;
            case 'W':
                return number ? "the image width is set by tessera render --size" : null;
            case 'H':
                return number ? "the image height is set by tessera render --size" : null;
            case 'G':
                if (rest.startsWith("I")) {
                    return "it writes an INI file on the node";
                }
                if (rest.length() > 1 && "ADFRSW".indexOf(rest.charAt(0)) >= 0) {
                    return "it writes a message file on the node (messages come back with the tile)";
                }
                return null;
            default:
                return null;
        }
    }

    private static String checkKey(String pair) {
        int eq = pair.indexOf('=');
        String key = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String value = pair.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
        boolean on = !FALSE.contains(value);
        if (key.endsWith("_command") || key.endsWith("_return")) {
            return "POV-Ray would run a shell command on the node";
        }
        return switch (key) {
            case "input_file_name" -> "the input file is the scene Tessera renders";
            case "output_file_name", "output_to_file" -> "Tessera writes the frames itself (tessera render --out)";
            case "output_file_type", "bits_per_color", "compression" ->
                "the output format is Tessera's (PNG frames, tessera render --bits)";
            case "start_row", "end_row", "start_column", "end_column" -> "the render region is set per tile by Tessera";
            case "width" -> "the image width is set by tessera render --size";
            case "height" -> "the image height is set by tessera render --size";
            case "clock", "initial_frame", "final_frame", "initial_clock", "final_clock", "subset_start_frame",
                    "subset_end_frame", "cyclic_animation", "frame_step", "clock_delta" ->
                "the animation clock and frames are set by tessera render --frames";
            case "display" -> on ? "a node has no display" : null;
            case "pause_when_done" -> on ? "a node would wait for a key press" : null;
            case "include_ini" -> "Tessera checks one INI file; merge the included file into it";
            case "create_ini" -> "it writes an INI file on the node";
            default -> FILE_STREAMS.contains(key) && on
                    ? "it writes a message file on the node (messages come back with the tile)" : null;
        };
    }
}
