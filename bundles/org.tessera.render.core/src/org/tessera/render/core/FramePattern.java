// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.nio.file.Path;

/**
 * Names frame files from a pattern: each run of {@code #} is replaced by the frame number padded with
 * zeros to the run's length ({@code "out/shot_####.png"} → {@code out/shot_0007.png}). A pattern without
 * {@code #} gets {@code _####} before its extension. Images are PNG; the extension is added when missing.
 */
public final class FramePattern {
    private final String pattern;

    private FramePattern(String pattern) {
        this.pattern = pattern;
    }

    public static FramePattern of(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("empty output pattern");
        }
        String p = pattern;
        if (!p.toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            p = p + ".png";
        }
        if (p.indexOf('#') < 0) {
            p = p.substring(0, p.length() - 4) + "_####.png";
        }
        return new FramePattern(p);
    }

    /** The file name of {@code frame}, resolved against {@code base} when the pattern is relative. */
    public Path file(Path base, int frame) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c != '#') {
                sb.append(c);
                i++;
                continue;
            }
            int run = 0;
            while (i < pattern.length() && pattern.charAt(i) == '#') {
                run++;
                i++;
            }
            String digits = Integer.toString(Math.abs(frame));
            if (frame < 0) {
                sb.append('-');
            }
            sb.append("0".repeat(Math.max(0, run - digits.length()))).append(digits);
        }
        return base.resolve(sb.toString()).normalize();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
