// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tessera.core.ServerEndpoint;
import org.tessera.core.ServerEndpoints;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.Subcommand;
import org.tessera.core.cli.Subcommands;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;
import org.tessera.tracker.core.FrameChanges;
import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.FrameStatus;
import org.tessera.tracker.core.RenderTracker;
import org.tessera.tracker.core.RenderTrackerClient;
import org.tessera.tracker.core.TrackerAuthenticationException;
import org.tessera.tracker.core.TrackerException;
import org.tessera.tracker.core.TrackerUnavailableException;

/** {@code tessera tracker serve|projects|frames|watch|bench}. */
@Component(service = Verb.class)
public class TrackerVerb implements Verb {
    /** Environment variable that may hold the access token (keeps it out of process lists). */
    public static final String TOKEN_ENV = "TESSERA_TRACKER_TOKEN";

    /** How long {@code serve} waits for the configured endpoint to listen. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @Reference
    private ConfigurationAdmin configAdmin;

    /** Subcommands other bundles add ({@code tessera tracker bench}). */
    @Reference(target = "(" + Subcommand.PARENT + "=tracker)", cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    private volatile List<Subcommand> subcommands;

    private BundleContext bundleContext;

    @Activate
    void activate(BundleContext context) {
        this.bundleContext = context;
    }

    @Override
    public String name() {
        return "tracker";
    }

    @Override
    public String summary() {
        return "run or query the render tracker (XML-RPC, HQueue-compatible)";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera tracker serve    [--host H] [--port N] [--db PATH|JDBC-URL] [--token T]
                       tessera tracker projects [--host H] [--port N] [--token T]
                       tessera tracker frames   [--host H] [--port N] [--token T] <project>
                       tessera tracker watch    [--host H] [--port N] [--token T] [--interval MS] <project>
                       tessera tracker bench    [--projects N] [--frames N] [--clients N] [--seconds S]

                serve     runs the tracker: XML-RPC at http://HOST:PORT/RPC2 until stopped (Ctrl-C), as
                          the configurations org.tessera.tracker.endpoint (and org.tessera.tracker
                          for --db; docs/configuration.md). Prints the URL once ready. The database
                          defaults to tracker/tracker.mv.db in the workspace (-data); --db takes a file
                          path (H2) or a JDBC URL. Off loopback a token is required (Bearer, or Basic
                          password).
                projects  lists the projects of a running tracker.
                frames    prints a table of a project's frames: number, status, progress.
                watch     shows a live progress line fed by getChangedFrames until the project is done
                          (exit 0) or every frame is finished with errors (exit 1).
                bench     measures XML-RPC update throughput and getChangedFrames latency against a
                          Python SimpleXMLRPCServer baseline (needs python3; the org.tessera.bench
                          bundle); see docs/tracker.md.

                Options:
                  --host H       address to bind or to ask (default 127.0.0.1)
                  --port N       TCP port (default %d; serve accepts 0 for any free port)
                  --db D         database file path or JDBC URL (serve)
                  --token T      access token; or set %s
                  --interval MS  watch polling interval (default 500)
                Exit codes: 0 ok, 1 failed, 2 usage, 3 no tracker answers.""".formatted(RenderTrackerClient.DEFAULT_PORT,
                TOKEN_ENV);
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException("missing subcommand: serve, projects, frames, watch or bench");
        }
        String sub = args.get(0);
        List<String> rest = args.subList(1, args.size());
        return switch (sub) {
            case "serve" -> serve(VerbArguments.parse(rest, Set.of("host", "port", "db", "token"), Set.of()), context);
            case "projects", "frames", "watch" -> query(sub,
                    VerbArguments.parse(rest, Set.of("host", "port", "token", "interval"), Set.of()), context);
            default -> Subcommands.run("tracker", subcommands, sub, rest, context, "serve, projects, frames, watch or bench");
        };
    }

    /** The token from --token or the environment; a blank one is refused (it would let anyone in). */
    private static String token(VerbArguments a) {
        String t = a.value("token").orElse(System.getenv(TOKEN_ENV));
        if (t != null && t.isBlank()) {
            throw new UsageException("the access token is empty (" + (a.value("token").isPresent() ? "--token" : TOKEN_ENV)
                    + "): give a token that is not blank, or none at all for a tracker on loopback");
        }
        return t;
    }

    /**
     * Creates an endpoint configuration ({@link TrackerEndpointComponent#PID}) from the flags (and, for
     * {@code --db}, points the tracker's store configuration {@link RenderTrackerComponent#PID} at that
     * database), waits until the endpoint listens, prints its URL for the user, and deletes the
     * configuration (restoring the store's) when cancelled.
     */
    private int serve(VerbArguments a, VerbContext context) throws Exception {
        if (!a.positionals().isEmpty()) {
            throw new UsageException("serve takes no positional arguments: " + a.positionals());
        }
        String host = a.value("host", "127.0.0.1");
        int port = a.intValue("port", RenderTrackerClient.DEFAULT_PORT, 0, 65535);
        String token = token(a);
        if (token == null && !org.tessera.http.HttpEndpoint.isLoopback(host)) {
            throw new UsageException("--host " + host + " is not a loopback address: give --token or set " + TOKEN_ENV);
        }
        String name = "serve-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
        boolean flagToken = a.value("token").isPresent();
        String secretName = flagToken ? TrackerEndpointComponent.DEFAULT_TOKEN_SECRET + "." + name
                : TrackerEndpointComponent.DEFAULT_TOKEN_SECRET;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("host", host);
        props.put("port", port);
        props.put("tokenSecret", token == null ? "" : secretName);
        String db = a.value("db").orElse(null);
        Configuration store = null;
        Dictionary<String, Object> storeBefore = null;
        if (db != null) {
            String url = db.startsWith("jdbc:") ? db : RenderTrackerComponent.jdbcUrlFor(context.resolve(db));
            store = configAdmin.getConfiguration(RenderTrackerComponent.PID, "?");
            storeBefore = store.getProperties();
            Hashtable<String, Object> storeProps = new Hashtable<>();
            if (storeBefore != null) {
                for (var keys = storeBefore.keys(); keys.hasMoreElements();) {
                    String k = keys.nextElement();
                    storeProps.put(k, storeBefore.get(k));
                }
            }
            storeProps.put(RenderTrackerComponent.DATABASE, url);
            store.updateIfDifferent(storeProps);
            // serve the tracker on this database only (not one still open on the previous configuration)
            props.put("tracker.target", "(" + RenderTrackerComponent.DATABASE + "=" + ServerEndpoints.escape(url) + ")");
        }
        try (ProvidedSecret secret = flagToken ? ProvidedSecret.register(bundleContext, secretName, token) : null) {
            ServerEndpoint endpoint;
            try {
                endpoint = ServerEndpoints.start(configAdmin, TrackerEndpointComponent.PID, name, props, START_TIMEOUT);
            } catch (ServerEndpoints.ServerStartException e) {
                context.err().println("tessera tracker: " + e.getMessage());
                return ExitCodes.UNAVAILABLE;
            }
            context.out().println("Tracker listening on " + endpoint.url());
            context.out().flush();
            while (!context.isCancelled()) {
                Thread.sleep(200);
            }
            context.out().println("Tracker stopping");
            return ExitCodes.CANCELLED;
        } finally {
            deleteEndpoint(name);
            if (store != null) {
                if (storeBefore == null) {
                    store.delete();
                } else {
                    store.update(storeBefore);
                }
            }
        }
    }

    private void deleteEndpoint(String name) throws java.io.IOException {
        try {
            Configuration[] configs = configAdmin.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "="
                    + ServerEndpoints.escape(TrackerEndpointComponent.PID + "~" + name) + ")");
            if (configs != null) {
                for (Configuration c : configs) {
                    c.delete();
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int query(String sub, VerbArguments a, VerbContext context) throws InterruptedException {
        String host = a.value("host", "127.0.0.1");
        int port = a.intValue("port", RenderTrackerClient.DEFAULT_PORT, 1, 65535);
        RenderTrackerClient client = RenderTrackerClient.getConnection(host, port, token(a));
        if (client == null) {
            TrackerUnavailableException why = RenderTrackerClient.whyUnavailable(host, port, token(a));
            if (why instanceof TrackerAuthenticationException) {
                context.err().println("tessera tracker: " + why.getMessage());
                return ExitCodes.FAILURE;
            }
            context.err().println("tessera tracker: no render tracker answers at " + RenderTrackerClient.uri(host, port)
                    + " (start one with 'tessera tracker serve')");
            return ExitCodes.UNAVAILABLE;
        }
        PrintStream out = context.out();
        try {
            switch (sub) {
                case "projects" -> {
                    if (!a.positionals().isEmpty()) {
                        throw new UsageException("projects takes no positional arguments");
                    }
                    for (String p : client.getAllProjects()) {
                        out.println(org.tessera.core.cli.TerminalText.printableLine(p)); // names are data, never escapes
                    }
                    return ExitCodes.OK;
                }
                case "frames" -> {
                    String project = a.requireOnePositional("project name");
                    out.printf("%8s  %-14s  %s%n", "FRAME", "STATUS", "PROGRESS");
                    for (FrameInfo f : client.getAllFramesInfo(project)) {
                        out.printf(Locale.ROOT, "%8d  %-14s  %5.1f%%%n", f.frame(), f.status().label(), f.fraction() * 100);
                    }
                    return ExitCodes.OK;
                }
                default -> {
                    return watch(client, a.requireOnePositional("project name"),
                            a.intValue("interval", 500, 10, 60_000), context);
                }
            }
        } catch (TrackerUnavailableException e) {
            context.err().println("tessera tracker: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        } catch (TrackerException e) {
            context.err().println("tessera tracker: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }

    /** Polls getChangedFrames and prints a progress line whenever something changed. */
    static int watch(RenderTracker client, String project, int intervalMs, VerbContext context)
            throws InterruptedException {
        Map<Integer, FrameInfo> frames = new HashMap<>();
        long since = 0;
        String last = null;
        boolean live = context.terminal();
        while (!context.isCancelled()) {
            FrameChanges changes = client.getChangedFrames(project, since);
            since = changes.eventId();
            for (FrameInfo f : changes.changes()) {
                frames.put(f.frame(), f);
            }
            int complete = 0;
            int rendering = 0;
            int errors = 0;
            double sum = 0;
            for (FrameInfo f : frames.values()) {
                complete += f.status().isComplete() ? 1 : 0;
                rendering += f.status() == FrameStatus.RENDERING || f.status() == FrameStatus.DOWNLOADING ? 1 : 0;
                errors += f.status() == FrameStatus.ERROR ? 1 : 0;
                sum += f.status().isComplete() ? 1.0 : f.status() == FrameStatus.ERROR ? 0 : f.fraction();
            }
            double progress = frames.isEmpty() ? 0 : sum / frames.size();
            double left = client.getEstimatedRenderSecondsLeft(project);
            String line = bar(progress) + String.format(Locale.ROOT, " %5.1f%%  %d/%d frames complete, %d active, %d errors%s",
                    progress * 100, complete, frames.size(), rendering, errors,
                    left < 0 ? "" : String.format(Locale.ROOT, ", ~%.0f s left", left));
            if (!line.equals(last)) {
                if (live) { // one live line on a terminal, rewritten in place; a line per change otherwise
                    context.out().print("\r" + line + " ".repeat(Math.max(0, (last == null ? 0 : last.length()) - line.length())));
                } else {
                    context.out().println(line);
                }
                context.out().flush();
                last = line;
            }
            if (live && !frames.isEmpty() && complete + errors == frames.size()) {
                context.out().println();
            }
            if (!frames.isEmpty() && complete == frames.size()) {
                context.out().println("Project done: " + project);
                return ExitCodes.OK;
            }
            if (!frames.isEmpty() && complete + errors == frames.size()) {
                context.err().println("Project finished with " + errors + " failed frame" + (errors == 1 ? "" : "s")
                        + ": " + project);
                return ExitCodes.FAILURE;
            }
            Thread.sleep(intervalMs);
        }
        if (live && last != null) {
            context.out().println();
        }
        return ExitCodes.CANCELLED;
    }

    private static String bar(double progress) {
        int width = 30;
        int filled = (int) Math.round(progress * width);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }
}
