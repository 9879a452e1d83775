// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.ConfigurationAdmin;
import org.tessera.cluster.core.NodeProtocol;
import org.tessera.core.ProvidedSecret;
import org.tessera.core.ServerEndpoint;
import org.tessera.core.ServerEndpoints;
import org.tessera.testing.OsgiServices;

/**
 * Node servers as components made by factory configurations of {@code org.tessera.node.server}: a
 * configuration starts a real server whose URL is a service property, a change re-binds it, a port in use
 * is reported with the reason, a token comes from a named secret, and deleting the configuration stops it.
 */
class NodeServerConfigTest {
    private static final String PID = "org.tessera.node.server";
    private static final Duration START = Duration.ofSeconds(20);
    private final ConfigurationAdmin cm = OsgiServices.get(ConfigurationAdmin.class);
    private final String name = "test-" + System.nanoTime();

    @AfterEach
    void deleteConfiguration() throws IOException {
        ServerEndpoints.stop(cm, PID, name);
    }

    private static Hashtable<String, Object> props(Map<String, Object> values) {
        Hashtable<String, Object> p = new Hashtable<>(Map.of("host", "127.0.0.1", "port", 0, "tokenSecret", ""));
        p.putAll(values);
        return p;
    }

    private static HttpResponse<String> get(URI base, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aConfigurationStartsANodeThatAChangeRebindsAndADeleteStops() throws Exception {
        ServerEndpoint node = ServerEndpoints.start(cm, PID, name, props(Map.of("licenseSeats", 3)), START);
        URI url = node.url();
        assertEquals(ServerEndpoint.KIND_NODE, node.kind());
        HttpResponse<String> info = get(url, NodeProtocol.INFO, null);
        assertEquals(200, info.statusCode(), info.body());
        assertTrue(info.body().contains("\"licenseSeats\":3"), info.body());

        ServerEndpoint changed = ServerEndpoints.start(cm, PID, name, props(Map.of("licenseSeats", 5)), START);
        info = get(changed.url(), NodeProtocol.INFO, null);
        assertTrue(info.body().contains("\"licenseSeats\":5"), "the change applies: " + info.body());

        assertTrue(ServerEndpoints.stop(cm, PID, name));
        long deadline = System.nanoTime() + 10_000_000_000L;
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            try {
                get(changed.url(), NodeProtocol.PING, null);
                Thread.sleep(50);
            } catch (IOException e) {
                refused = true;
            }
        }
        assertTrue(refused, "the node still answers after its configuration was deleted");
    }

    @Test
    void aPortInUseIsReportedWithTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            ServerEndpoints.ServerStartException e = assertThrows(ServerEndpoints.ServerStartException.class,
                    () -> ServerEndpoints.start(cm, PID, name, props(Map.of("port", taken.getLocalPort())), START));
            assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void offLoopbackWithoutATokenIsRefusedWithTheFix() {
        ServerEndpoints.ServerStartException e = assertThrows(ServerEndpoints.ServerStartException.class,
                () -> ServerEndpoints.start(cm, PID, name, props(Map.of("host", "0.0.0.0")), START));
        assertTrue(e.getMessage().contains("requires an access token"), e.getMessage());
        assertTrue(e.getMessage().contains("TESSERA_NODE_TOKEN"), e.getMessage());
    }

    @Test
    void theTokenComesFromTheNamedSecretNotTheConfiguration() throws Exception {
        String token = "t-" + System.nanoTime();
        try (ProvidedSecret secret = ProvidedSecret.register(OsgiServices.context(), "node.token." + name, token)) {
            ServerEndpoint node = ServerEndpoints.start(cm, PID, name,
                    props(Map.of("tokenSecret", secret.name())), START);
            assertEquals(401, get(node.url(), NodeProtocol.INFO, null).statusCode());
            assertEquals(200, get(node.url(), NodeProtocol.INFO, token).statusCode());
            String config = cm.getFactoryConfiguration(PID, name, "?").getProperties().toString();
            assertTrue(!config.contains(token), "the token is not in the configuration: " + config);
            assertNotEquals(-1, node.url().getPort());
        }
    }

    /** The metatype (hand-written, Tycho does not generate it) describes exactly the component's typed configuration. */
    @Test
    void theMetatypeDescribesTheConfiguration() {
        org.osgi.framework.Bundle node = org.osgi.framework.FrameworkUtil.getBundle(org.tessera.node.NodeServer.class);
        org.osgi.service.metatype.MetaTypeInformation info = OsgiServices.get(
                org.osgi.service.metatype.MetaTypeService.class).getMetaTypeInformation(node);
        assertTrue(java.util.Arrays.asList(info.getFactoryPids()).contains(PID), java.util.Arrays.toString(info.getFactoryPids()));
        var ocd = info.getObjectClassDefinition(PID, null);
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (var ad : ocd.getAttributeDefinitions(org.osgi.service.metatype.ObjectClassDefinition.ALL)) {
            ids.add(ad.getID());
        }
        java.util.Set<String> methods = new java.util.TreeSet<>();
        for (var m : org.tessera.internal.node.NodeServerComponent.Config.class.getDeclaredMethods()) {
            methods.add(m.getName());
        }
        assertEquals(methods, ids);
    }
}
