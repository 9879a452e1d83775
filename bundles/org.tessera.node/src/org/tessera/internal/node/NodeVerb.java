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
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;
import org.tessera.node.NodeServer;
import org.tessera.node.NodeSettings;

/** {@code tessera node serve|bench}: runs a render node server, or benchmarks a local cluster. */
@Component(service = Verb.class)
public class NodeVerb implements Verb {
    /** Version reported by nodes. */
    public static final String VERSION = "0.1.0";

    private final List<RenderEngine> engines = new CopyOnWriteArrayList<>();

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
                        Ctrl-C. Prints "Node listening on http://HOST:PORT" once ready.
                  --port N           TCP port (default 7701; 0 = any free port)
                  --host ADDR        address to bind (default 127.0.0.1); any other address needs a token
                  --token T          access token masters must send (or env TESSERA_NODE_TOKEN); never printed
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
            case "bench" -> ClusterBench.run(VerbArguments.parse(rest, Set.of("nodes", "bytes"), Set.of()), context);
            default -> throw new UsageException("unknown sub-command '" + args.get(0) + "': use serve or bench");
        };
    }

    private int serve(List<String> args, VerbContext context) throws Exception {
        VerbArguments a = VerbArguments.parse(args, Set.of("port", "host", "token", "memory-limit", "license-seats"),
                Set.of());
        String token = a.value("token").orElse(System.getenv("TESSERA_NODE_TOKEN"));
        NodeSettings settings = new NodeSettings(a.value("host", "127.0.0.1"),
                a.intValue("port", ClusterNode.DEFAULT_PORT, 0, 65535), token,
                a.intValue("memory-limit", 0, 0, Integer.MAX_VALUE), a.intValue("license-seats", 1, 0, 100_000), 256);
        NodeServer server;
        try {
            server = NodeServer.start(settings, () -> List.copyOf(engines));
        } catch (IllegalStateException e) {
            throw new UsageException(e.getMessage() + " (give --token or TESSERA_NODE_TOKEN)", e);
        } catch (java.io.IOException e) {
            context.err().println(e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        try (server) {
            String uri = server.uri().toString();
            context.out().println("Node listening on " + uri.substring(0, uri.length() - 1)
                    + (token == null ? "" : " (token required)"));
            context.out().println("Render engines: " + (engines.isEmpty() ? "none"
                    : String.join(", ", engines.stream().map(RenderEngine::name).sorted().toList())));
            context.out().flush();
            while (!context.isCancelled()) {
                Thread.sleep(100);
            }
        }
        return ExitCodes.OK;
    }
}
