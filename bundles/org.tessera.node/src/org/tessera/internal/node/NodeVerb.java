// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.node;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tessera.render.core.RenderEngine;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.Subcommand;
import org.tessera.core.cli.Subcommands;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.tessera.core.Credentials;
import org.tessera.core.ProvidedSecret;
import org.tessera.core.ServerEndpoint;
import org.tessera.core.ServerEndpoints;
import org.tessera.http.HttpEndpoint;

/** {@code tessera node serve|bench}: runs a render node server, or benchmarks a local cluster. */
@Component(service = Verb.class)
public class NodeVerb implements Verb {
    /** Version reported by nodes. */
    public static final String VERSION = "0.1.0";

    private final List<RenderEngine> engines = new CopyOnWriteArrayList<>();

    @Reference
    private ConfigurationAdmin configAdmin;

    private BundleContext bundleContext;

    /** Subcommands other bundles add ({@code tessera node bench}: the org.tessera.bench bundle). */
    @Reference(target = "(" + Subcommand.PARENT + "=node)", cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    private volatile List<Subcommand> subcommands;

    @Activate
    void activate(BundleContext context) {
        bundleContext = context;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEngine(RenderEngine engine) {
        engines.add(engine);
    }

    void removeEngine(RenderEngine engine) {
        engines.remove(engine);
    }

    @Override
    public String name() {
        return "node";
    }

    @Override
    public String summary() {
        return "run a render node server (serve) or benchmark a local cluster (bench)";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera node serve [--port N] [--host ADDR] [--token T] [--memory-limit MB] [--license-seats N]
                       tessera node bench [--nodes N] [--bytes N]

                serve   runs the node server a master connects to (protocol: docs/node-protocol.md) until
                        Ctrl-C: creates a configuration of org.tessera.node.server (docs/configuration.md)
                        and prints "Node listening on http://HOST:PORT" once the server listens.
                  --port N           TCP port (default 7701; 0 = any free port)
                  --host ADDR        address to bind (default 127.0.0.1); any other address needs a token
                  --token T          access token masters must send (or env TESSERA_NODE_TOKEN, or the 0600
                                     file ~/.tessera/secrets/node.token); never printed
                  --memory-limit MB  memory offered to masters (default: the maximum heap)
                  --license-seats N  licence seats for node-side checkout (default 1; 0 = unlicensed)
                bench   starts N node servers in this process (default 16), times ClusterService.start() on
                        them, runs the speed test, and measures raw loopback socket throughput for comparison.""";
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException("missing sub-command: serve or bench");
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "serve" -> serve(rest, context);
            default -> Subcommands.run("node", subcommands, args.get(0), rest, context, "serve or bench");
        };
    }

    /** How long {@code serve} waits for the configured server to listen. */
    private static final java.time.Duration START_TIMEOUT = java.time.Duration.ofSeconds(30);

    /**
     * Creates a node server configuration ({@link NodeServerComponent#PID}) from the flags, waits until the
     * server listens, prints its URL, and deletes the configuration (the server stops) when cancelled.
     */
    private int serve(List<String> args, VerbContext context) throws Exception {
        VerbArguments a = VerbArguments.parse(args, Set.of("port", "host", "token", "memory-limit", "license-seats"),
                Set.of());
        String host = a.value("host", "127.0.0.1");
        int port = a.intValue("port", ClusterNode.DEFAULT_PORT, 0, 65535);
        int memory = a.intValue("memory-limit", 0, 0, Integer.MAX_VALUE);
        int seats = a.intValue("license-seats", 1, 0, 100_000);
        java.util.Optional<String> flagToken = a.value("token");
        if (flagToken.isPresent() && flagToken.get().isBlank()) {
            throw new UsageException("--token must not be blank");
        }
        String name = "serve-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
        String secretName = flagToken.isPresent() ? NodeServerComponent.DEFAULT_TOKEN_SECRET + "." + name
                : NodeServerComponent.DEFAULT_TOKEN_SECRET;
        boolean tokenRequired = flagToken.isPresent() || hasSecret(secretName);
        if (!tokenRequired && !HttpEndpoint.isLoopback(host)) {
            throw new UsageException("binding the node to " + host + " (not a loopback address) requires an access"
                    + " token (give --token or TESSERA_NODE_TOKEN)");
        }
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put("host", host);
        props.put("port", port);
        props.put("memoryLimitMB", (long) memory);
        props.put("licenseSeats", seats);
        props.put("tokenSecret", secretName);
        try (ProvidedSecret secret = flagToken.isPresent()
                ? ProvidedSecret.register(bundleContext, secretName, flagToken.get()) : null) {
            ServerEndpoint endpoint;
            try {
                endpoint = ServerEndpoints.start(configAdmin, NodeServerComponent.PID, name, props, START_TIMEOUT);
            } catch (ServerEndpoints.ServerStartException e) {
                ServerEndpoints.stop(configAdmin, NodeServerComponent.PID, name);
                context.err().println(e.getMessage());
                return ExitCodes.UNAVAILABLE;
            }
            try {
                String uri = endpoint.url().toString();
                context.out().println("Node listening on " + uri.substring(0, uri.length() - 1)
                        + (tokenRequired ? " (token required)" : ""));
                context.out().println("Render engines: " + (engines.isEmpty() ? "none"
                        : String.join(", ", engines.stream().map(RenderEngine::name).sorted().toList())));
                context.out().flush();
                while (!context.isCancelled()) {
                    Thread.sleep(100);
                }
            } finally {
                ServerEndpoints.stop(configAdmin, NodeServerComponent.PID, name);
            }
        }
        return ExitCodes.OK;
    }

    private static boolean hasSecret(String name) {
        try {
            return Credentials.lookup(NodeVerb.class, name).isPresent();
        } catch (IllegalStateException unusable) {
            return true; // the server says why when it reads it
        }
    }
}
