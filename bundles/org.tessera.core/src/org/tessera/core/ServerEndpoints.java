// SPDX-License-Identifier: EPL-2.0
package org.tessera.core;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Both sides of {@link ServerEndpoint}: server components publish themselves once listening; verbs create a
 * factory configuration and wait for the server it starts.
 *
 * @since 0.3
 */
public final class ServerEndpoints {
    private ServerEndpoints() {
    }

    /** Why a configured server did not come up (its own message, or that it did not answer in time). */
    public static final class ServerStartException extends IOException {
        private static final long serialVersionUID = 1L;

        public ServerStartException(String message) {
            super(message);
        }
    }

    /**
     * Registers {@code endpoint} with {@link ServerEndpoint#URL}, {@link ServerEndpoint#KIND} and the
     * configuration keys of the component ({@code service.pid}, {@code service.factoryPid}, {@code name}).
     */
    public static ServiceRegistration<ServerEndpoint> publish(BundleContext context, ServerEndpoint endpoint,
            Map<String, ?> componentProperties) {
        Hashtable<String, Object> props = new Hashtable<>();
        for (String key : new String[] { Constants.SERVICE_PID, "service.factoryPid", "name" }) {
            Object value = componentProperties.get(key);
            if (value != null) {
                props.put(key, value);
            }
        }
        props.put(ServerEndpoint.URL, endpoint.url().toString());
        props.put(ServerEndpoint.KIND, endpoint.kind());
        return context.registerService(ServerEndpoint.class, endpoint, props);
    }

    /**
     * Creates (or updates) the factory configuration {@code factoryPid~name} with {@code properties} and waits
     * until the server it configures is listening.
     *
     * @return the server's endpoint
     * @throws ServerStartException the server's own reason when it failed, or that it did not start in time
     */
    public static ServerEndpoint start(ConfigurationAdmin configAdmin, String factoryPid, String name,
            Dictionary<String, ?> properties, Duration timeout) throws IOException, InterruptedException {
        BundleContext context = FrameworkUtil.getBundle(ServerEndpoints.class).getBundleContext();
        Configuration config = configAdmin.getFactoryConfiguration(factoryPid, name, "?");
        String pid = config.getPid();
        CompletableFuture<ServerEndpoint> result = new CompletableFuture<>();
        Hashtable<String, Object> handlerProps = new Hashtable<>();
        handlerProps.put(EventConstants.EVENT_TOPIC, ServerEndpoint.FAILED_TOPIC);
        handlerProps.put(EventConstants.EVENT_FILTER, "(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
        ServiceRegistration<EventHandler> failures = context.registerService(EventHandler.class,
                event -> result.completeExceptionally(
                        new ServerStartException(String.valueOf(event.getProperty(ServerEndpoint.MESSAGE)))),
                handlerProps);
        // a changed configuration re-activates the server: the endpoint registered before the change is stale
        java.util.Set<Object> stale = new java.util.HashSet<>();
        String filter = "(&(" + Constants.OBJECTCLASS + "=" + ServerEndpoint.class.getName() + ")("
                + Constants.SERVICE_PID + "=" + escape(pid) + "))";
        ServiceTracker<ServerEndpoint, ServerEndpoint> tracker;
        try {
            ServiceReference<?>[] before = context.getServiceReferences((String) null, filter);
            if (before != null) {
                for (ServiceReference<?> ref : before) {
                    stale.add(ref.getProperty(Constants.SERVICE_ID));
                }
            }
            tracker = new ServiceTracker<>(context, context.createFilter(filter), null) {
                @Override
                public ServerEndpoint addingService(ServiceReference<ServerEndpoint> reference) {
                    ServerEndpoint endpoint = super.addingService(reference);
                    if (!stale.contains(reference.getProperty(Constants.SERVICE_ID))) {
                        result.complete(endpoint);
                    }
                    return endpoint;
                }
            };
        } catch (InvalidSyntaxException e) {
            failures.unregister();
            throw new IllegalArgumentException("bad configuration name: " + name, e);
        }
        try {
            if (!config.updateIfDifferent(properties)) {
                stale.clear(); // unchanged: the running server is the one asked for
            }
            tracker.open();
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new ServerStartException(factoryPid + " '" + name + "' did not start within "
                    + timeout.toSeconds() + " s");
        } finally {
            tracker.close();
            failures.unregister();
        }
    }

    /**
     * Deletes the factory configuration {@code factoryPid~name} if it exists: its server stops.
     *
     * @return whether there was one
     */
    public static boolean stop(ConfigurationAdmin configAdmin, String factoryPid, String name) throws IOException {
        Configuration[] configs;
        try {
            configs = configAdmin.listConfigurations(
                    "(" + Constants.SERVICE_PID + "=" + escape(factoryPid + "~" + name) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad configuration name: " + name, e);
        }
        if (configs == null) {
            return false;
        }
        for (Configuration c : configs) {
            c.delete();
        }
        return true;
    }

    /**
     * Posts {@link ServerEndpoint#FAILED_TOPIC} for the configured server with these component properties
     * (their {@code service.pid} identifies it).
     */
    public static void failed(EventAdmin events, Map<String, ?> componentProperties, String message) {
        Object pid = componentProperties.get(Constants.SERVICE_PID);
        if (events != null && pid != null) {
            events.postEvent(new Event(ServerEndpoint.FAILED_TOPIC,
                    Map.of(Constants.SERVICE_PID, pid, ServerEndpoint.MESSAGE, message)));
        }
    }

    /** Escapes an LDAP filter value. */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The endpoint's URL, or null when it has none. */
    public static URI url(ServiceReference<ServerEndpoint> reference) {
        Object url = reference.getProperty(ServerEndpoint.URL);
        return url == null ? null : URI.create(url.toString());
    }
}
