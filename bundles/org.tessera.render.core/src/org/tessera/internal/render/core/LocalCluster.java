// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.tessera.cluster.core.ClusterService;
import org.tessera.core.ServerEndpoint;
import org.tessera.core.ServerEndpoints;
import org.tessera.render.core.RenderException;

/**
 * Node servers started for one job inside this process ({@code tessera render --nodes N},
 * {@code tessera demo}): each is a factory configuration of the node server component
 * ({@value #NODE_PID}, loopback, any free port), so render.core needs no dependency on the node bundle.
 * The URL of each comes from the {@link ServerEndpoint} service it registers once listening. They are
 * real HTTP node servers (scene upload, tile requests over loopback); only the process is shared. The
 * {@link ClusterService} is started on them, so the tile renderer uses them as cluster nodes; closing
 * deletes the configurations, which stops the servers.
 */
public final class LocalCluster implements AutoCloseable {
    /** Factory PID of the node server component (bundle org.tessera.node). */
    public static final String NODE_PID = "org.tessera.node.server";
    private static final Duration NODE_START = Duration.ofSeconds(30);

    private final List<String> addresses = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private ConfigurationAdmin configAdmin;
    private ClusterService cluster;

    /** Addresses ({@code 127.0.0.1:port}) of the started nodes. */
    public List<String> addresses() {
        return List.copyOf(addresses);
    }

    /**
     * Starts {@code n} node servers and the cluster service on them.
     *
     * @throws RenderException when Configuration Admin or the node server component is not installed, a node
     *                         does not come up, or the cluster does not start (its problems are in the message)
     */
    public static LocalCluster start(BundleContext context, ClusterService cluster, int n, Path workingDirectory)
            throws RenderException, InterruptedException {
        LocalCluster lc = new LocalCluster();
        boolean ok = false;
        try {
            ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
            lc.configAdmin = ref == null ? null : context.getService(ref);
            if (lc.configAdmin == null) {
                throw new RenderException("Configuration Admin (bundle org.apache.felix.configadmin) is not running:"
                        + " local node servers cannot be configured");
            }
            String prefix = "local-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()) + "-";
            for (int i = 1; i <= n; i++) {
                String name = prefix + i;
                lc.names.add(name);
                Hashtable<String, Object> props = new Hashtable<>();
                props.put("host", "127.0.0.1");
                props.put("port", 0);
                props.put("tokenSecret", ""); // loopback only, for this job's master
                ServerEndpoint node;
                try {
                    node = ServerEndpoints.start(lc.configAdmin, NODE_PID, name, props, NODE_START);
                } catch (IOException e) {
                    throw new RenderException("a local node server did not start: " + e.getMessage()
                            + (e.getMessage() != null && e.getMessage().contains("did not start within")
                                    ? " (is the bundle org.tessera.node installed?)" : ""), e);
                }
                lc.addresses.add(node.url().getHost() + ":" + node.url().getPort());
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

    @Override
    public void close() {
        if (cluster != null) {
            try {
                cluster.stop();
            } catch (RuntimeException e) {
                // stopping anyway
            }
        }
        for (String name : names) {
            try {
                ServerEndpoints.stop(configAdmin, NODE_PID, name);
            } catch (IOException | RuntimeException e) {
                System.err.println("tessera: cannot remove the local node configuration " + name + ": " + e);
            }
        }
        names.clear();
    }
}
