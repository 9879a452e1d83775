// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.tessera.cluster.core.ClusterService;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbContext;
import org.tessera.render.core.RenderException;

/**
 * Node servers started for one job inside this process ({@code tessera render --nodes N},
 * {@code tessera demo}): each is the {@code tessera node serve} verb on a free loopback port, running on
 * a thread of its own, so render.core needs no dependency on the node bundle. They are real HTTP node
 * servers (scene upload, tile requests over loopback); only the process is shared. The
 * {@link ClusterService} is started on them, so the tile renderer uses them as cluster nodes.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Node listening on http://([0-9.]+):(\\d+)");

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private ClusterService cluster;

    /** Addresses ({@code 127.0.0.1:port}) of the started nodes. */
    public List<String> addresses() {
        return List.copyOf(addresses);
    }

    /**
     * Starts {@code n} node servers and the cluster service on them.
     *
     * @throws RenderException when the node verb is not installed, a node does not come up, or the
     *                         cluster does not start (its problems are in the message)
     */
    public static LocalCluster start(BundleContext context, ClusterService cluster, int n, Path workingDirectory)
            throws RenderException, InterruptedException {
        LocalCluster lc = new LocalCluster();
        boolean ok = false;
        try {
            Verb node = verb(context, "node");
            List<ByteArrayOutputStream> outs = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                outs.add(out);
                PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
                VerbContext vc = new VerbContext(ps, ps, workingDirectory, lc.stop::get);
                Thread t = new Thread(() -> {
                    try {
                        node.run(List.of("serve", "--host", "127.0.0.1", "--port", "0"), vc);
                    } catch (Exception e) {
                        ps.println("node failed: " + e);
                    }
                }, "tessera-local-node-" + i);
                t.setDaemon(true);
                lc.threads.add(t);
                t.start();
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            for (ByteArrayOutputStream out : outs) {
                String address = null;
                while (address == null) {
                    String text;
                    synchronized (out) {
                        text = out.toString(StandardCharsets.UTF_8);
                    }
                    Matcher m = LISTENING.matcher(text);
                    if (m.find()) {
                        address = m.group(1) + ":" + m.group(2);
                    } else if (text.contains("node failed") || System.nanoTime() > deadline) {
                        throw new RenderException("a local node server did not start: " + text.strip());
                    } else {
                        Thread.sleep(20);
                    }
                }
                lc.addresses.add(address);
            }
            if (cluster == null) {
                throw new RenderException("the cluster service (bundle org.tessera.cluster.core) is not available");
            }
            lc.startCluster(cluster, String.join(" ", lc.addresses));
            ok = true;
            return lc;
        } finally {
            if (!ok) {
                lc.close();
            }
        }
    }

    /** Starts {@code cluster} on a host list ({@code "pc1:7701 pc2"}), as {@code tessera render --cluster} does. */
    void startCluster(ClusterService c, String hostList) throws RenderException {
        c.setConfig(c.hostListToConfig(hostList));
        c.setIgnoreNotEnoughMemory(true);
        c.setLocalLicenseCheckout(true);
        c.setLicenseSeats(Math.max(c.getLicenseSeats(), 256));
        if (!c.start() || c.getRunningNodes().isEmpty()) {
            String problems = String.join("; ", c.getProblems());
            c.stop();
            throw new RenderException("the cluster did not start on " + hostList
                    + (problems.isEmpty() ? "" : ": " + problems));
        }
        cluster = c;
    }

    /** A cluster on existing nodes only (no local servers). */
    static LocalCluster existing(ClusterService c, String hostList) throws RenderException {
        if (c == null) {
            throw new RenderException("the cluster service (bundle org.tessera.cluster.core) is not available");
        }
        LocalCluster lc = new LocalCluster();
        lc.startCluster(c, hostList);
        lc.addresses.addAll(c.getRunningNodes());
        return lc;
    }

    static Verb verb(BundleContext context, String name) throws RenderException {
        try {
            for (ServiceReference<Verb> ref : context.getServiceReferences(Verb.class, null)) {
                Verb v = context.getService(ref);
                if (v != null && v.name().equals(name)) {
                    return v;
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        throw new RenderException("the '" + name + "' command is not installed in this product");
    }

    @Override
    public void close() {
        if (cluster != null) {
            try {
                cluster.stop();
            } catch (RuntimeException e) {
                // stopping anyway
            }
        }
        stop.set(true);
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
