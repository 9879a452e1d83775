// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.tessera.core.Credentials;
import org.tessera.core.ServerEndpoint;
import org.tessera.core.ServerEndpoints;
import org.tessera.internal.tracker.core.RenderTrackerComponent;
import org.tessera.internal.tracker.core.TrackerEndpointComponent;
import org.tessera.tracker.core.RenderTracker;
import org.tessera.tracker.core.RenderTrackerClient;
import org.tessera.tracker.core.TrackerAuthenticationException;

/**
 * The tracker as configured DS components in a real OSGi framework with Felix ConfigAdmin and Metatype: the
 * store's singleton configuration {@code org.tessera.tracker} ({@code database}) and XML-RPC endpoints made by
 * factory configurations {@code org.tessera.tracker.endpoint}, which register a {@link ServerEndpoint} once
 * listening, report failures on EventAdmin, take their token from the Credentials service and stop when their
 * configuration is deleted.
 */
class TrackerConfigurationTest {
    private static final Duration START = Duration.ofSeconds(30);

    /**
     * The store's folder, one for the class: in the test bundle's data area, not a @TempDir, because the
     * tracker closes its database asynchronously (on ConfigAdmin's thread) after the configuration is deleted.
     */
    private static Path dir;
    private static BundleContext context;
    private static ConfigurationAdmin configAdmin;
    private static Configuration store;
    private final List<String> endpoints = new java.util.ArrayList<>();

    @org.junit.jupiter.api.BeforeAll
    static void configureStore() throws Exception {
        for (Class<?> c : List.of(TrackerEndpointComponent.class, ServerEndpoints.class)) {
            Bundle bundle = FrameworkUtil.getBundle(c);
            if (bundle.getState() != Bundle.ACTIVE) {
                bundle.start();
            }
        }
        context = FrameworkUtil.getBundle(TrackerConfigurationTest.class).getBundleContext();
        dir = context.getDataFile("configured-tracker-" + System.nanoTime()).toPath();
        configAdmin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        store = configAdmin.getConfiguration(RenderTrackerComponent.PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(RenderTrackerComponent.DATABASE, database().toString());
        store.update(props);
    }

    private static Path database() {
        return dir.resolve("db").resolve("tracker");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (String name : endpoints) {
            delete(name);
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void unconfigureStore() throws Exception {
        store.delete();
    }

    private ServerEndpoint start(String name, Hashtable<String, Object> props) throws Exception {
        endpoints.add(name);
        return ServerEndpoints.start(configAdmin, TrackerEndpointComponent.PID, name, props, START);
    }

    private static void delete(String name) throws Exception {
        Configuration[] configs = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "="
                + ServerEndpoints.escape(TrackerEndpointComponent.PID + "~" + name) + ")");
        if (configs != null) {
            for (Configuration c : configs) {
                c.delete();
            }
        }
    }

    /** An endpoint on the tracker with this test's database (not one still open on an earlier configuration). */
    private Hashtable<String, Object> endpointConfig(String host, String tokenSecret) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("tracker.target", "(" + RenderTrackerComponent.DATABASE + "="
                + ServerEndpoints.escape(database().toString()) + ")");
        props.put("host", host);
        props.put("port", 0);
        props.put("tokenSecret", tokenSecret);
        return props;
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void anEndpointConfigurationServesTheConfiguredStoreAndStopsWhenDeleted() throws Exception {
        ServerEndpoint endpoint = start("a", endpointConfig("127.0.0.1", ""));
        assertEquals(ServerEndpoint.KIND_TRACKER, endpoint.kind());
        ServiceReference<ServerEndpoint> ref = context.getServiceReferences(ServerEndpoint.class,
                "(service.pid=" + TrackerEndpointComponent.PID + "~a)").iterator().next();
        assertEquals(endpoint.url().toString(), ref.getProperty(ServerEndpoint.URL));
        assertEquals(ServerEndpoint.KIND_TRACKER, ref.getProperty(ServerEndpoint.KIND));
        assertTrue(endpoint.url().getPort() > 0 && endpoint.url().getPath().equals("/RPC2"), endpoint.url().toString());

        RenderTrackerClient client = RenderTrackerClient.connect(endpoint.url(), null);
        client.startedRenderProject("configured", List.of(1, 2), false, 3);
        client.setFrameRenderFraction("configured", 2, 0.5);
        assertEquals(0.5, client.getAllFramesInfo("configured").get(1).fraction());
        // the store is the configured database
        assertTrue(Files.exists(dir.resolve("db").resolve("tracker.mv.db")), "the configured H2 file");
        RenderTracker service = context.getService(context.getServiceReference(RenderTracker.class));
        assertTrue(service.getAllProjects().contains("configured"), service.getAllProjects().toString());

        // a second endpoint on the same tracker
        ServerEndpoint second = start("b", endpointConfig("127.0.0.1", ""));
        assertTrue(second.url().getPort() != endpoint.url().getPort());
        assertTrue(RenderTrackerClient.connect(second.url(), null).getAllProjects().contains("configured"));

        delete("a");
        awaitUntil(() -> {
            try {
                return context.getServiceReferences(ServerEndpoint.class, "(service.pid=" + TrackerEndpointComponent.PID + "~a)")
                        .isEmpty();
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        }, "the endpoint is unregistered");
        assertTrue(RenderTrackerClient.getConnection("127.0.0.1", endpoint.url().getPort()) == null, "nothing listens there");
        assertNotNull(RenderTrackerClient.getConnection("127.0.0.1", second.url().getPort()), "the other one still does");
    }

    @Test
    void offLoopbackWithoutATokenTheEndpointReportsWhy() {
        var e = assertThrows(ServerEndpoints.ServerStartException.class,
                () -> start("open", endpointConfig("0.0.0.0", "")));
        assertTrue(e.getMessage().contains("requires an access token"), e.getMessage());
        assertTrue(e.getMessage().contains("TESSERA_TRACKER_TOKEN"), e.getMessage());
    }

    @Test
    void theTokenComesFromTheCredentialsServiceNamedByTheConfiguration() throws Exception {
        String secretName = "tracker.token.test-" + System.nanoTime();
        Hashtable<String, Object> ranking = new Hashtable<>();
        ranking.put(Constants.SERVICE_RANKING, 1000);
        ServiceRegistration<Credentials> secrets = context.registerService(Credentials.class,
                n -> n.equals(secretName) ? Optional.of("configured-s3cret") : Optional.empty(), ranking);
        try {
            ServerEndpoint endpoint = start("token", endpointConfig("127.0.0.1", secretName));
            // the secret is in no configuration property
            for (Configuration c : configAdmin.listConfigurations(null)) {
                assertTrue(!String.valueOf(c.getProperties()).contains("configured-s3cret"), c.getPid());
            }
            assertThrows(TrackerAuthenticationException.class,
                    () -> RenderTrackerClient.connect(endpoint.url(), null).isRunning());
            assertThrows(TrackerAuthenticationException.class,
                    () -> RenderTrackerClient.connect(endpoint.url(), "wrong").isRunning());
            assertTrue(RenderTrackerClient.connect(endpoint.url(), "configured-s3cret").isRunning());
        } finally {
            secrets.unregister();
        }
    }

    @Test
    void bothConfigurationsAreDescribedByMetatype() {
        MetaTypeService metatype = context.getService(context.getServiceReference(MetaTypeService.class));
        Bundle tracker = FrameworkUtil.getBundle(TrackerEndpointComponent.class);
        var info = metatype.getMetaTypeInformation(tracker);
        assertTrue(Arrays.asList(info.getFactoryPids()).contains(TrackerEndpointComponent.PID),
                Arrays.toString(info.getFactoryPids()));
        assertTrue(Arrays.asList(info.getPids()).contains(RenderTrackerComponent.PID), Arrays.toString(info.getPids()));
        ObjectClassDefinition endpoint = info.getObjectClassDefinition(TrackerEndpointComponent.PID, null);
        List<String> ids = Arrays.stream(endpoint.getAttributeDefinitions(ObjectClassDefinition.ALL)).map(AttributeDefinition::getID)
                .toList();
        assertTrue(ids.containsAll(List.of("host", "port", "tokenSecret", "maxBodyBytes", "maxConnections")), ids.toString());
        ObjectClassDefinition storeOcd = info.getObjectClassDefinition(RenderTrackerComponent.PID, null);
        assertTrue(Arrays.stream(storeOcd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .anyMatch(a -> a.getID().equals("database")));
    }
}
