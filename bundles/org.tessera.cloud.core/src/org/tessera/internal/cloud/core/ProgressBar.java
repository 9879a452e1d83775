// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.core;

import java.io.PrintStream;
import java.util.Locale;

/** A text progress bar printed as a new line whenever its text changes (works in logs and terminals). */
final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private String last = "";

    ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    static String bar(long done, long total, int width) {
        int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    /** Prints {@code label [####----] done/total suffix} unless it is the same as last time. */
    void update(long done, long total, String suffix) {
        long percent = total <= 0 ? 100 : done * 100 / total;
        String line = String.format(Locale.ROOT, "%-7s %s %3d%% %s", label, bar(done, total, 30), percent, suffix);
        if (!line.equals(last)) {
            out.println(line);
            out.flush();
            last = line;
        }
    }

    static String bytes(double n) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        int u = 0;
        while (n >= 1024 && u < units.length - 1) {
            n /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", n, units[u]);
    }
}
