// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.node;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.core.Credentials;
import org.tessera.core.ServerEndpoint;
import org.tessera.core.ServerEndpoints;
import org.tessera.node.NodeServer;
import org.tessera.node.NodeSettings;
import org.tessera.render.core.RenderEngine;

/**
 * A node server made by a factory configuration {@value #PID} (one per configuration: a local cluster is
 * several). It binds on activation and registers a {@link ServerEndpoint} with its URL; a change of the
 * configuration re-activates it (host and port are bound once). The access token is never configured: the
 * configuration names a secret that the {@link Credentials} service holds.
 */
@Component(configurationPid = NodeServerComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = NodeServerComponent.Config.class, factory = true)
public class NodeServerComponent {
    /** Factory PID of node servers. */
    public static final String PID = "org.tessera.node.server";
    /** The secret the default configuration names ({@code TESSERA_NODE_TOKEN} or the 0600 file {@code node.token}). */
    public static final String DEFAULT_TOKEN_SECRET = "node.token";

    /** A node server's settings. */
    @ObjectClassDefinition(id = PID, name = "Tessera node server",
            description = "A render node server masters connect to (docs/node-protocol.md).")
    public @interface Config {
        @AttributeDefinition(description = "Address to bind; anything but a loopback address needs a token.")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "TCP port; 0 picks a free one.", min = "0", max = "65535")
        int port() default ClusterNode.DEFAULT_PORT;

        @AttributeDefinition(description = "Name of the secret (Credentials service) holding the token masters "
                + "must send; empty for none (loopback only).", required = false)
        String tokenSecret() default DEFAULT_TOKEN_SECRET;

        @AttributeDefinition(description = "Memory offered to masters, MB; 0 = the maximum heap.", min = "0")
        long memoryLimitMB() default 0;

        @AttributeDefinition(description = "Licence seats for node-side checkout; 0 = unlicensed node.", min = "0")
        int licenseSeats() default 1;

        @AttributeDefinition(description = "Largest scene upload accepted, MB.", min = "1")
        int maxSceneMB() default 256;
    }

    private final List<RenderEngine> engines = new CopyOnWriteArrayList<>();
    private NodeServer server;
    private ServiceRegistration<ServerEndpoint> registration;

    @Reference
    private EventAdmin events;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEngine(RenderEngine engine) {
        engines.add(engine);
    }

    void removeEngine(RenderEngine engine) {
        engines.remove(engine);
    }

    @Activate
    void activate(Config config, BundleContext context, Map<String, Object> properties) {
        try {
            String token = token(config.tokenSecret()).orElse(null);
            NodeSettings settings = new NodeSettings(config.host(), config.port(), token, config.memoryLimitMB(),
                    config.licenseSeats(), config.maxSceneMB());
            server = NodeServer.start(settings, () -> List.copyOf(engines));
            URI url = server.uri();
            String kind = ServerEndpoint.KIND_NODE;
            registration = ServerEndpoints.publish(context, new ServerEndpoint() {
                @Override
                public URI url() {
                    return url;
                }

                @Override
                public String kind() {
                    return kind;
                }
            }, properties);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
                server = null;
            }
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (e instanceof IllegalStateException && message.contains("access token")) {
                message += " (give the node a token: TESSERA_NODE_TOKEN, the 0600 file node.token in "
                        + "~/.tessera/secrets, or tessera node serve --token)";
            } else if (e instanceof IOException) {
                message = "cannot listen on " + config.host() + ":" + config.port() + ": " + message;
            }
            ServerEndpoints.failed(events, properties, message);
        }
    }

    private static Optional<String> token(String secret) {
        return secret == null || secret.isBlank() ? Optional.empty()
                : Credentials.lookup(NodeServerComponent.class, secret.strip());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            registration = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
