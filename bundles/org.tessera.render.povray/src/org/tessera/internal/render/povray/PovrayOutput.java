// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.povray;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tessera.internal.render.core.ProcessConsole;
import org.tessera.render.core.Tile;

/**
 * Follows one POV-Ray process's console output on a thread of its own: keeps the text (the last
 * {@value ProcessConsole#MAX_CHARS} characters, for error messages) and time-stamps POV-Ray's progress lines
 * ({@code Rendered N of M pixels}), from which {@link #rowSeconds} derives what each row of the tile
 * cost to trace. POV-Ray renders the tile in square blocks, row of blocks after row of blocks, and
 * reports the pixels of finished blocks; the time between the end of its photon pass and a row of blocks
 * being complete is that block row's cost, spread evenly over its pixel rows. The time is the process's
 * CPU time where Linux's {@code /proc/<pid>/stat} tells it (so other load on the machine does not make
 * rows look costly), else the wall-clock time.
 */
final class PovrayOutput extends ProcessConsole {
    private static final Pattern RENDERED = Pattern.compile("Rendered (\\d+) of (\\d+) pixels");

    private final List<long[]> samples = new ArrayList<>(); // {nanos, pixels done}
    private long renderStart = -1;
    private long total = -1;
    private final Path stat;
    private final ProcessHandle process;

    private PovrayOutput(InputStream in, ProcessHandle process) {
        super(StandardCharsets.ISO_8859_1);
        this.process = process;
        Path p = Path.of("/proc/" + process.pid() + "/stat");
        stat = process.pid() > 0 && Files.isReadable(p) ? p : null;
        follow(in, "tessera-povray-output");
    }

    /** Starts reading the merged stdout and stderr of {@code process} until it ends. */
    static PovrayOutput follow(Process process) {
        return new PovrayOutput(process.getInputStream(), process.toHandle());
    }

    /**
     * The user + system CPU time in nanoseconds of the process and its descendants (POV-Ray runs under the
     * scene sandbox's {@code bwrap}), from {@code /proc/<pid>/stat} (fields 14 and 15, in clock ticks of
     * 1/100 s), or -1 when it cannot be read.
     */
    private long now() {
        if (stat != null) {
            try {
                long ticks = ticks(stat);
                for (ProcessHandle d : (Iterable<ProcessHandle>) process.descendants()::iterator) {
                    ticks += ticks(Path.of("/proc/" + d.pid() + "/stat"));
                }
                return ticks * 10_000_000L;
            } catch (IOException | RuntimeException e) {
                // the process is gone: its last progress line came with its exit
            }
        }
        return -1;
    }

    private static long ticks(Path stat) throws IOException {
        String text = Files.readString(stat, StandardCharsets.ISO_8859_1);
        String[] f = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state): utime is field 14 = f[11], stime field 15 = f[12]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private long lastClock;

    /** CPU time when available (never going back), else wall time; a process that ended keeps its last CPU time. */
    private long clock() {
        if (stat == null) {
            return System.nanoTime();
        }
        long cpu = now();
        lastClock = Math.max(lastClock, cpu);
        return lastClock;
    }

    @Override
    protected long stamp() {
        return clock();
    }

    @Override
    protected synchronized void line(String s, long nanos) {
        if (s.contains("[Rendering...]") || (s.startsWith("Photon") && samples.isEmpty())) {
            renderStart = nanos; // the render starts after parsing and the photon pass
            return;
        }
        Matcher m = RENDERED.matcher(s);
        if (m.find()) {
            try {
                long done = Long.parseLong(m.group(1));
                long of = Long.parseLong(m.group(2));
                if (renderStart < 0) {
                    renderStart = nanos;
                }
                total = of;
                samples.add(new long[] { nanos, done });
            } catch (NumberFormatException e) {
                // not a progress line after all
            }
        }
    }

    /** Width at which POV-Ray's console wraps its messages (its {@code Console} class, 80 columns). */
    static final int CONSOLE_WIDTH = 80;

    /**
     * POV-Ray's console text with its wrapped messages joined again. POV-Ray breaks a message longer than
     * {@value #CONSOLE_WIDTH} columns before the space that would overflow (the space starts the next line)
     * or, for a word longer than a line, after exactly {@value #CONSOLE_WIDTH} characters. A line is a
     * continuation when the line before is full and it goes on without a space, or when it starts with one
     * space and its first word would not have fitted on the line before (indented lines of POV-Ray's option
     * lists and credits start with two spaces).
     * Progress lines, ended by carriage returns, are kept as they are.
     */
    static String unwrap(String text) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        StringBuilder out = new StringBuilder(text.length());
        String previous = null; // the physical line before, after its last carriage return
        for (String line : lines) {
            if (previous != null) {
                out.append(continuesLine(previous, line) ? "" : "\n");
            }
            out.append(line);
            previous = line.substring(line.lastIndexOf('\r') + 1);
        }
        return out.toString();
    }

    private static boolean continuesLine(String previous, String line) {
        if (line.isEmpty() || previous.isEmpty() || line.indexOf('\r') >= 0) {
            return false;
        }
        if (previous.length() == CONSOLE_WIDTH && line.charAt(0) != ' ') {
            return true; // a word longer than the line, cut
        }
        if (line.length() > 1 && line.charAt(0) == ' ' && line.charAt(1) != ' ') {
            int space = line.indexOf(' ', 1);
            int firstWord = space < 0 ? line.length() : space;
            return previous.length() + firstWord > CONSOLE_WIDTH;
        }
        return false;
    }

    /**
     * Seconds each row of {@code tile} took to trace, from the progress lines; {@code null} when POV-Ray
     * reported no complete progress (another version, or a failed render).
     *
     * @param block POV-Ray's render block edge in pixels ({@code +BS})
     */
    synchronized double[] rowSeconds(Tile tile, int block) {
        long pixels = tile.pixels();
        if (samples.isEmpty() || renderStart < 0 || total != pixels || samples.getLast()[1] != pixels) {
            return null;
        }
        // time at which the first `done` pixels were complete, by linear interpolation between samples
        int n = samples.size() + 1;
        double[] at = new double[n];
        long[] done = new long[n];
        at[0] = 0;
        done[0] = 0;
        for (int i = 1; i < n; i++) {
            long[] s = samples.get(i - 1);
            at[i] = Math.max(at[i - 1], (s[0] - renderStart) / 1e9);
            done[i] = Math.max(done[i - 1], s[1]);
        }
        double[] rows = new double[tile.height()];
        double previous = 0;
        for (int top = 0; top < tile.height(); top += block) {
            int bandRows = Math.min(block, tile.height() - top);
            long end = (long) (top + bandRows) * tile.width();
            double t = timeAt(at, done, end);
            double each = Math.max(0, t - previous) / bandRows;
            for (int r = 0; r < bandRows; r++) {
                rows[top + r] = each;
            }
            previous = Math.max(previous, t);
        }
        return rows;
    }

    private static double timeAt(double[] at, long[] done, long pixels) {
        for (int i = 1; i < done.length; i++) {
            if (done[i] >= pixels) {
                long span = done[i] - done[i - 1];
                double f = span == 0 ? 1 : (double) (pixels - done[i - 1]) / span;
                return at[i - 1] + f * (at[i] - at[i - 1]);
            }
        }
        return at[at.length - 1];
    }
}
