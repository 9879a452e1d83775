// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.concurrent.TimeUnit;

/**
 * Follows one renderer process's console output (its merged stdout and stderr) on a thread of its own:
 * keeps the text (the last {@value #MAX_CHARS} characters, for error messages) and hands each line to
 * the engine's subclass, with a time stamp taken when the chunk holding it was read ({@link #stamp()}).
 * A subclass sets its own fields first, then calls {@link #follow} at the end of its constructor.
 */
public abstract class ProcessConsole {
    /** Characters of the output kept. */
    public static final int MAX_CHARS = 1 << 20;
    /** Longest line handed on (the rest of a longer line is dropped). */
    private static final int MAX_LINE = 8192;

    private final StringBuilder text = new StringBuilder();
    private final Charset charset;
    private Thread reader;

    protected ProcessConsole(Charset charset) {
        this.charset = charset;
    }

    /** Starts reading {@code in} until it ends (the process exited or was killed). */
    protected final void follow(InputStream in, String threadName) {
        reader = new Thread(() -> consume(in), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    /** A time stamp for the lines of the chunk just read, in nanoseconds; the default is wall time. */
    protected long stamp() {
        return System.nanoTime();
    }

    /** One line of the output without its line end, on the reader thread. */
    protected abstract void line(String line, long stamp);

    private void consume(InputStream in) {
        byte[] buffer = new byte[8192];
        StringBuilder line = new StringBuilder();
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                long now = stamp();
                String chunk = new String(buffer, 0, n, charset);
                synchronized (this) {
                    text.append(chunk);
                    if (text.length() > MAX_CHARS) {
                        text.delete(0, text.length() - MAX_CHARS);
                    }
                }
                for (int i = 0; i < chunk.length(); i++) {
                    char c = chunk.charAt(i);
                    if (c == '\n' || c == '\r') {
                        line(line.toString(), now);
                        line.setLength(0);
                    } else if (line.length() < MAX_LINE) {
                        line.append(c);
                    }
                }
            }
            line(line.toString(), stamp());
        } catch (IOException e) {
            // the process ended or was killed: what was read is what there is
        }
    }

    /** Waits until the output ended (the process has exited, at most 10 s more) and returns its text. */
    public final String awaitText() throws InterruptedException {
        reader.join(TimeUnit.SECONDS.toMillis(10));
        synchronized (this) {
            return text.toString();
        }
    }
}
