// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tessera.core.Credentials;
import org.tessera.core.ServerEndpoint;
import org.tessera.core.ServerEndpoints;
import org.tessera.tracker.core.RenderTracker;
import org.tessera.tracker.core.RenderTrackerClient;

/**
 * The tracker's XML-RPC endpoint ({@code /RPC2}), one per factory configuration {@value #PID}. It binds on
 * activation and then registers a {@link ServerEndpoint} (kind {@code tracker}) with its URL; when it cannot
 * (port taken, off loopback without a token) it posts {@link ServerEndpoint#FAILED_TOPIC} with the reason.
 * A changed configuration re-activates it (address, limits and token are bound once). The access token is
 * never configured: {@link Config#tokenSecret()} names a secret of the {@link Credentials} service. The
 * tracker it serves is the {@link RenderTracker} service ({@code tracker.target} may select one, e.g.
 * {@code (database=jdbc:h2:file:/srv/tracker)}).
 */
@Component(configurationPid = TrackerEndpointComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = TrackerEndpointComponent.Config.class, factory = true)
public class TrackerEndpointComponent {
    /** Factory PID of the tracker's XML-RPC endpoints. */
    public static final String PID = "org.tessera.tracker.endpoint";
    /** The secret the default configuration names ({@code TESSERA_TRACKER_TOKEN} or the 0600 file {@code tracker.token}). */
    public static final String DEFAULT_TOKEN_SECRET = "tracker.token";

    /** One XML-RPC endpoint's settings (docs/configuration.md, "Tracker"). */
    @ObjectClassDefinition(id = PID, name = "Tessera tracker XML-RPC endpoint",
            description = "Serves the render tracker over XML-RPC at http://host:port/RPC2 (docs/tracker.md).")
    public @interface Config {
        @AttributeDefinition(description = "Address to bind; anything but a loopback address needs a token.")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "TCP port; 0 picks a free one (tessera tracker serve uses "
                + RenderTrackerClient.DEFAULT_PORT + ").", min = "0", max = "65535")
        int port() default 0;

        @AttributeDefinition(required = false, description = "Name of the secret (Credentials service) holding the "
                + "token clients must send (Bearer, or Basic password); empty for none (loopback only).")
        String tokenSecret() default DEFAULT_TOKEN_SECRET;

        @AttributeDefinition(description = "Largest request body in bytes; larger calls get fault -32300.", min = "1024")
        long maxBodyBytes() default TrackerServer.DEFAULT_MAX_BODY;

        @AttributeDefinition(description = "Pool threads for calls that may wait (project-wide queries, fsync).", min = "8")
        int maxThreads() default 64;

        @AttributeDefinition(description = "I/O threads; 0: one per core, at most 4.", min = "0", max = "64")
        int selectors() default 0;

        @AttributeDefinition(description = "Connections served at once; requests beyond get 503.", min = "1")
        int maxConnections() default TrackerServer.DEFAULT_MAX_CONNECTIONS;

        @AttributeDefinition(description = "Seconds a connection may stay idle (or stalled mid-request).", min = "1")
        int idleTimeoutSeconds() default 30;
    }

    @Reference(name = "tracker")
    private RenderTracker tracker;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin events;

    private TrackerServer server;
    private ServiceRegistration<ServerEndpoint> registration;

    @Activate
    void activate(Config config, BundleContext context, Map<String, Object> properties) {
        try {
            String token = token(config.tokenSecret()).orElse(null);
            // the endpoint answers small calls on its I/O threads when it holds the tracker's service itself
            RenderTracker served = tracker instanceof RenderTrackerComponent c ? c.service() : tracker;
            server = TrackerServer.start(served, new TrackerServer.Settings(config.host(), config.port(), token,
                    config.maxBodyBytes(), config.maxThreads(), config.selectors(), config.maxConnections(),
                    config.idleTimeoutSeconds() * 1000L));
            URI url = server.uri();
            registration = ServerEndpoints.publish(context, new ServerEndpoint() {
                @Override
                public URI url() {
                    return url;
                }

                @Override
                public String kind() {
                    return ServerEndpoint.KIND_TRACKER;
                }
            }, properties);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
                server = null;
            }
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (e instanceof IllegalStateException && message.contains("access token")) {
                message += " (give the tracker a token: TESSERA_TRACKER_TOKEN, the 0600 file tracker.token in "
                        + "~/.tessera/secrets, or tessera tracker serve --token)";
            }
            failed(properties, message);
        }
    }

    private static Optional<String> token(String secret) {
        return secret == null || secret.isBlank() ? Optional.empty()
                : Credentials.lookup(TrackerEndpointComponent.class, secret.strip());
    }

    /** Posts {@link ServerEndpoint#FAILED_TOPIC} for this configuration. */
    private void failed(Map<String, Object> properties, String message) {
        EventAdmin admin = events;
        Object pid = properties.get(Constants.SERVICE_PID);
        if (admin != null && pid != null) {
            admin.postEvent(new Event(ServerEndpoint.FAILED_TOPIC,
                    Map.of(Constants.SERVICE_PID, pid, ServerEndpoint.MESSAGE, message)));
        }
        System.getLogger(TrackerEndpointComponent.class.getName()).log(System.Logger.Level.WARNING,
                "tracker endpoint " + pid + " did not start: " + message);
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
