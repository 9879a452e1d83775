// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbContext;

/**
 * Finds the {@link Verb} service named by the first word and runs it with the rest, turning
 * exceptions into messages on stderr and exit codes.
 */
public final class VerbDispatcher {
    /** How long to wait for a verb whose bundle is still starting. */
    private static final long VERB_WAIT_MS = 3000;

    private final BundleContext bundleContext;
    private final PrintStream out;
    private final PrintStream err;
    private final Path workingDirectory;
    private final BooleanSupplier cancelled;

    public VerbDispatcher(BundleContext bundleContext, PrintStream out, PrintStream err, Path workingDirectory,
            BooleanSupplier cancelled) {
        this.bundleContext = bundleContext;
        this.out = out;
        this.err = err;
        this.workingDirectory = workingDirectory;
        this.cancelled = cancelled;
    }

    public int dispatch(List<String> args) {
        List<String> words = new ArrayList<>(args);
        if (words.isEmpty() || words.get(0).equals("--help") || words.get(0).equals("-h")) {
            words = new ArrayList<>(List.of("help"));
        } else if (words.get(0).equals("--version")) {
            words = new ArrayList<>(List.of("version"));
        }
        String name = words.remove(0);
        ServiceTracker<Verb, Verb> tracker = new ServiceTracker<>(bundleContext, Verb.class, null);
        tracker.open();
        try {
            Optional<Verb> verb = find(tracker, name);
            if (verb.isEmpty()) {
                err.println("tessera: unknown command '" + name + "'. Run 'tessera help' for the list of commands.");
                return ExitCodes.USAGE;
            }
            if (words.contains("--help") || words.contains("-h")) {
                out.println(verb.get().usage());
                return ExitCodes.OK;
            }
            VerbContext context = new VerbContext(out, err, workingDirectory, cancelled);
            try {
                return verb.get().run(words, context);
            } catch (UsageException e) {
                err.println("tessera " + name + ": " + e.getMessage());
                err.println("Run 'tessera " + name + " --help' for usage.");
                return ExitCodes.USAGE;
            } catch (Exception | LinkageError e) {
                err.println("tessera " + name + ": " + describe(e));
                if (Boolean.getBoolean("tessera.debug")) {
                    e.printStackTrace(err);
                }
                return ExitCodes.FAILURE;
            }
        } finally {
            tracker.close();
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message;
    }

    private Optional<Verb> find(ServiceTracker<Verb, Verb> tracker, String name) {
        long deadline = System.currentTimeMillis() + VERB_WAIT_MS;
        while (true) {
            Optional<Verb> found = verbs(tracker).stream().filter(v -> v.name().equals(name)).findFirst();
            if (found.isPresent() || System.currentTimeMillis() > deadline) {
                return found;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    static List<Verb> verbs(ServiceTracker<Verb, Verb> tracker) {
        ServiceReference<Verb>[] refs = tracker.getServiceReferences();
        List<Verb> result = new ArrayList<>();
        if (refs != null) {
            for (ServiceReference<Verb> ref : refs) {
                Verb v = tracker.getService(ref);
                if (v != null) {
                    result.add(v);
                }
            }
        }
        result.sort(Comparator.comparing(Verb::name));
        return result;
    }
}
