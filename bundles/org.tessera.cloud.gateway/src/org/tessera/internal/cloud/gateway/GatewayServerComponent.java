// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tessera.core.Credentials;
import org.tessera.core.ServerEndpoint;
import org.tessera.core.ServerEndpoints;
import org.tessera.http.HttpEndpoint;

/**
 * The Envoy gateway as a component made by a factory configuration {@value #PID}: a thin wrapper that
 * starts an {@link EnvoyGateway} on activation, registers its {@link ServerEndpoint}, and closes it on
 * deactivation (a changed configuration re-activates it). The access token is never configured: the
 * configuration names a secret of the {@link Credentials} service.
 */
@Component(configurationPid = GatewayServerComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = GatewayServerComponent.Config.class, factory = true)
public class GatewayServerComponent {
    /** Factory PID of Envoy gateways. */
    public static final String PID = "org.tessera.cloud.gateway";
    /** The secret the default configuration names ({@code TESSERA_GATEWAY_TOKEN} or the 0600 file gateway.token). */
    public static final String DEFAULT_TOKEN_SECRET = "gateway.token";

    /** An Envoy gateway's settings. */
    @ObjectClassDefinition(id = PID, name = "Tessera Envoy gateway",
            description = "Answers the Envoy HTTP protocol and renders submissions on this farm (docs/envoy-gateway.md).")
    public @interface Config {
        @AttributeDefinition(description = "Address to bind; anything but a loopback address needs a token.")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "TCP port; 0 picks a free one.", min = "0", max = "65535")
        int port() default GatewayVerb.DEFAULT_PORT;

        @AttributeDefinition(description = "The gateway's folder: users, project store, staging; "
                + "empty = ~/.tessera/gateway.", required = false)
        String data() default "";

        @AttributeDefinition(description = "Credits one node-second of rendering costs.", min = "0")
        double creditsPerNodeSecond() default 0.01;

        @AttributeDefinition(description = "Name of the secret (Credentials service) holding the access token; "
                + "empty for none (loopback only).", required = false)
        String tokenSecret() default DEFAULT_TOKEN_SECRET;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FarmRenderer renderer;

    @Reference
    private EventAdmin events;

    private EnvoyGateway gateway;
    private ServiceRegistration<ServerEndpoint> registration;

    /** The data folder a configuration names (its default when empty). */
    static Path dataFolder(String configured) {
        return configured == null || configured.isBlank()
                ? Path.of(System.getProperty("user.home"), ".tessera", "gateway")
                : Path.of(configured);
    }

    @Activate
    void activate(Config config, BundleContext context, Map<String, Object> properties) {
        try {
            String secret = config.tokenSecret();
            String token = secret == null || secret.isBlank() ? null
                    : Credentials.lookup(GatewayServerComponent.class, secret.strip()).orElse(null);
            gateway = new EnvoyGateway(dataFolder(config.data()), () -> renderer, config.creditsPerNodeSecond());
            HttpEndpoint endpoint = gateway.start(config.host(), config.port(), token);
            URI url = endpoint.uri("/");
            registration = ServerEndpoints.publish(context, new ServerEndpoint() {
                @Override
                public URI url() {
                    return url;
                }

                @Override
                public String kind() {
                    return KIND_GATEWAY;
                }
            }, properties);
        } catch (IOException | RuntimeException e) {
            if (gateway != null) {
                gateway.close();
                gateway = null;
            }
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (e instanceof IOException) {
                message = "cannot start the gateway on " + config.host() + ":" + config.port() + ": " + message;
            }
            ServerEndpoints.failed(events, properties, message);
        }
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
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }
}
