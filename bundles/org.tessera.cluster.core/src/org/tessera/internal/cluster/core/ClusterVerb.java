// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tessera.cluster.core.ClusterConfig;
import org.tessera.cluster.core.ClusterConfigException;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.ClusterService;
import org.tessera.cluster.core.NodeInfo;
import org.tessera.cluster.core.node.NodeClient;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;

/** {@code tessera cluster start|status|speedtest|config}: the ClusterService from a shell. */
@Component(service = Verb.class)
public class ClusterVerb implements Verb {

    @Reference
    private ClusterService cluster;

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public String summary() {
        return "start a render cluster, show node status, run a speed test, convert host lists to XML";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera cluster start [options] <hosts>
                       tessera cluster status [<hosts>]
                       tessera cluster speedtest [options] [<hosts>]
                       tessera cluster config --to-xml <hosts> | --file <config file>

                <hosts> is a host list or XML configuration: "pc1 pc2", "pc1, pc2", "node01 - node12",
                "master {pc1 pc2}", "localhost:7701 - localhost:7704", "[::1]:7702" (see docs/cluster-config.md);
                several words are joined with spaces. Nodes run `tessera node serve`. Without <hosts>, start,
                status and speedtest use the configuration of the last `cluster start` in this workspace.

                start      connects to every node, checks other masters, memory and licences, prints the
                           running nodes (exit 0) or the reasons nothing started (exit 3). Releases the
                           nodes on exit unless --hold, which keeps the cluster until Ctrl-C.
                status     asks each node for its info without claiming it (exit 3 if any is down).
                speedtest  starts the cluster, prints one line per node:
                           <host:port> latency_ms=<median> down_MBps=<n> up_MBps=<n> bytes=<payload>
                config     prints the XML configuration (--to-xml) or checks a file and prints it canonically.

                Options for start and speedtest:
                  --hold                 keep the cluster running until Ctrl-C (start)
                  --allow-multiple       use nodes another master holds
                  --ignore-memory        use nodes with less free memory than needed
                  --required-memory MB   the scene's memory estimate (default: this process's heap in use)
                  --node-licenses        nodes check out their own licences (default: this master's pool)
                  --seats N              seats in this master's licence pool
                  --consumption          consumption-based licensing (metered node-minutes)
                Token: nodes off loopback need the node token: TESSERA_CLUSTER_TOKEN or ~/.tessera/secrets/cluster.token (0600).""";
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException("missing sub-command: start, status, speedtest or config");
        }
        String sub = args.get(0);
        List<String> rest = args.subList(1, args.size());
        return switch (sub) {
            case "start" -> start(rest, context, false);
            case "speedtest" -> start(rest, context, true);
            case "status" -> status(rest, context);
            case "config" -> config(rest, context);
            default -> throw new UsageException("unknown sub-command '" + sub + "': use start, status, speedtest or config");
        };
    }

    /**
     * The host list from the command line; without one, the configuration the last
     * {@code tessera cluster start} in this workspace used (so {@code tessera cluster status} works alone).
     */
    private String hosts(VerbArguments a, VerbContext context) {
        if (!a.positionals().isEmpty()) {
            return String.join(" ", a.positionals());
        }
        java.nio.file.Path last = lastConfigFile();
        if (last != null && java.nio.file.Files.isRegularFile(last)) {
            try {
                String text = java.nio.file.Files.readString(last);
                context.err().println("Using the last cluster configuration (" + last + ")");
                return text;
            } catch (java.io.IOException e) {
                throw new UsageException("cannot read the last cluster configuration " + last + ": " + e.getMessage());
            }
        }
        throw new UsageException("missing host list, e.g. \"localhost:7701 localhost:7702\" (no cluster was started "
                + "in this workspace yet, so there is no last configuration to use)");
    }

    /** {@code <workspace>/cluster/last-config.xml}, or null when there is no instance area. */
    private java.nio.file.Path lastConfigFile() {
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(getClass());
        String area = bundle == null || bundle.getBundleContext() == null ? null
                : bundle.getBundleContext().getProperty("osgi.instance.area");
        if (area == null) {
            return null;
        }
        try {
            return java.nio.file.Path.of(java.net.URI.create(area.replace(" ", "%20"))).resolve("cluster/last-config.xml");
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    /** Remembers the configuration of a started cluster for later host-less commands (written atomically). */
    private void rememberConfig(ClusterConfig config, VerbContext context) {
        java.nio.file.Path last = lastConfigFile();
        if (last == null) {
            return;
        }
        try {
            java.nio.file.Files.createDirectories(last.getParent());
            java.nio.file.Path tmp = last.resolveSibling(last.getFileName() + ".tmp");
            java.nio.file.Files.writeString(tmp, config.toXml());
            java.nio.file.Files.move(tmp, last, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            context.err().println("note: could not remember the cluster configuration in " + last + ": " + e.getMessage());
        }
    }

    private static ClusterConfig parse(String text) {
        return parse(text, null);
    }

    /** Parses a host list or cluster XML; an error names what was read ({@code source}, when a file) and its kind. */
    private static ClusterConfig parse(String text, java.nio.file.Path source) {
        try {
            return ClusterConfig.parse(text);
        } catch (ClusterConfigException e) {
            String kind = text.stripLeading().startsWith("<") ? "bad cluster XML" : "bad host list";
            throw new UsageException((source == null ? "" : source + ": ") + kind + ": " + e.getMessage(), e);
        }
    }

    private int start(List<String> args, VerbContext context, boolean speedTest) throws InterruptedException {
        VerbArguments a = VerbArguments.parse(args, Set.of("required-memory", "seats"),
                Set.of("hold", "allow-multiple", "ignore-memory", "node-licenses", "consumption"));
        ClusterConfig config = parse(hosts(a, context));
        rememberConfig(config, context);
        cluster.setConfig(config.toXml());
        cluster.setAllowMultipleServers(a.flag("allow-multiple"));
        cluster.setIgnoreNotEnoughMemory(a.flag("ignore-memory"));
        cluster.setLocalLicenseCheckout(!a.flag("node-licenses"));
        cluster.setConsumptionBasedLicensing(a.flag("consumption"));
        cluster.setRequiredMemoryMB(a.intValue("required-memory", 0, 0, Integer.MAX_VALUE));
        if (a.value("seats").isPresent()) {
            cluster.setLicenseSeats(a.intValue("seats", 0, 0, 1_000_000));
        }
        boolean ok = cluster.start();
        for (String p : cluster.getProblems()) {
            context.err().println(p);
        }
        if (!ok) {
            context.err().println("Cluster did not start: no node passed the checks");
            return ExitCodes.UNAVAILABLE;
        }
        try {
            context.out().println("Cluster started: " + String.join(" ", cluster.getRunningNodes()));
            context.out().flush();
            if (speedTest) {
                cluster.runSpeedTest().forEach(context.out()::println);
            } else if (a.flag("hold")) {
                context.out().println("Holding the cluster as " + cluster.getMasterId() + "; Ctrl-C to stop");
                context.out().flush();
                List<String> last = cluster.getRunningNodes();
                while (!context.isCancelled()) {
                    Thread.sleep(200);
                    List<String> now = cluster.getRunningNodes();
                    if (!now.equals(last)) {
                        context.out().println("Running nodes: " + String.join(" ", now)
                                + (cluster.isRestarting() ? " (restarting)" : ""));
                        context.out().flush();
                        last = now;
                    }
                }
            }
        } finally {
            cluster.stop();
        }
        return ExitCodes.OK;
    }

    private int status(List<String> args, VerbContext context) {
        ClusterConfig config = parse(hosts(VerbArguments.parse(args, Set.of(), Set.of()), context));
        ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
        try (NodeClient client = NodeClient.builder(cluster.getMasterId())
                .token(ClusterServiceImpl.nodeToken(ClusterServiceImpl.Settings.DEFAULT))
                .connectTimeout(Duration.ofMillis(config.options().connectTimeoutMillis()))
                .requestTimeout(Duration.ofMillis(config.options().requestTimeoutMillis())).build()) {
            Map<ClusterNode, CompletableFuture<NodeInfo>> infos = new LinkedHashMap<>();
            config.nodes().forEach(n -> infos.put(n, NodeCalls.async(exec, () -> client.info(n))));
            int down = 0;
            for (var e : infos.entrySet()) {
                try {
                    NodeInfo i = e.getValue().join();
                    context.out().printf("%s up cores=%d cpu=%.0f%% memory=%d/%dMB free=%dMB licenses=%d/%d masters=%s engines=%s%n",
                            e.getKey().address(), i.cores(), i.cpuPercent(), i.memoryUsedMB(), i.memoryTotalMB(),
                            i.memoryFreeMB(), i.licensesInUse(), i.licenseSeats(),
                            i.masters().isEmpty() ? "-" : String.join(",", i.masters()),
                            i.engines().isEmpty() ? "-" : String.join(",", i.engines()));
                } catch (RuntimeException ex) {
                    down++;
                    context.out().println(e.getKey().address() + " down " + NodeClient.reason(ex));
                }
            }
            return down == 0 ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
        } finally {
            exec.shutdownNow();
        }
    }

    private int config(List<String> args, VerbContext context) throws java.io.IOException {
        VerbArguments a = VerbArguments.parse(args, Set.of("file"), Set.of("to-xml"));
        if (a.value("file").isPresent()) {
            java.nio.file.Path file = context.resolve(a.value("file").get());
            String text = java.nio.file.Files.readString(file);
            context.out().print(parse(text, file).toXml());
            return ExitCodes.OK;
        }
        if (!a.flag("to-xml")) {
            throw new UsageException("config needs --to-xml <hosts> or --file <path>");
        }
        if (a.positionals().isEmpty()) {
            throw new UsageException("config --to-xml needs a host list, e.g. \"pc1 - pc4\"");
        }
        context.out().print(parse(String.join(" ", a.positionals())).toXml());
        return ExitCodes.OK;
    }
}
