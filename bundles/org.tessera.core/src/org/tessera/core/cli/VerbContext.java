// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * What a running {@link Verb} may use: its output streams, the directory the user ran
 * {@code tessera} from (relative paths resolve against it), and a cancellation flag that turns true
 * when the process is asked to stop (Ctrl-C).
 */
public record VerbContext(PrintStream out, PrintStream err, Path workingDirectory, BooleanSupplier cancelled) {

    /** Resolves a user-given path against the working directory. */
    public Path resolve(String path) {
        return workingDirectory.resolve(path).normalize();
    }

    public boolean isCancelled() {
        return cancelled.getAsBoolean();
    }

    /**
     * Whether {@link #out()} is the process's standard output on an interactive terminal: then a live
     * status line may be rewritten in place ({@code \r}); piped, redirected or captured output gets one
     * line per change instead.
     */
    public boolean terminal() {
        java.io.Console console = System.console();
        if (out != System.out || console == null) {
            return false;
        }
        try { // Console.isTerminal() is Java 22+; on Java 21 a console exists only on a terminal
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
