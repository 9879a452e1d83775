// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.NodeInfo;
import org.tessera.cluster.core.NodeProtocol;
import org.tessera.cluster.core.node.NodeAuthenticationException;
import org.tessera.cluster.core.node.NodeClient;
import org.tessera.cluster.core.node.NodeException;
import org.tessera.cluster.core.node.NodeRequestException;
import org.tessera.cluster.core.node.NodeServerException;
import org.tessera.cluster.core.node.NodeUnreachableException;
import org.tessera.http.HttpEndpoint;
import org.tessera.testing.TesseraProcess;

/**
 * The one node client against real {@code tessera node serve} processes: typed answers, and each typed error
 * (dead host, unknown host, 401, 4xx with the node's own message, 409 with the holder, 5xx).
 */
class NodeClientTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "client-test-token-7f3a";
    @TempDir
    static Path work;
    private static TesseraProcess open;
    private static TesseraProcess locked;
    private static ClusterNode openNode;
    private static ClusterNode lockedNode;

    @BeforeAll
    static void startNodes() {
        int p1 = TesseraProcess.freePort();
        int p2 = TesseraProcess.freePort();
        open = TesseraProcess.start(work, "client-open", "node", "serve", "--port", String.valueOf(p1));
        locked = TesseraProcess.start(work, "client-locked", "node", "serve", "--port", String.valueOf(p2), "--token", TOKEN);
        open.awaitLine(l -> l.startsWith("Node listening on http://127.0.0.1:"), WAIT);
        locked.awaitLine(l -> l.startsWith("Node listening on http://127.0.0.1:"), WAIT);
        openNode = ClusterNode.of("127.0.0.1", p1);
        lockedNode = ClusterNode.of("127.0.0.1", p2);
    }

    @AfterAll
    static void stopNodes() {
        for (TesseraProcess p : new TesseraProcess[] { open, locked }) {
            if (p != null) {
                p.close();
            }
        }
    }

    private static NodeClient client(String master) {
        return NodeClient.builder(master).build();
    }

    @Test
    void infoIsTypedAndClaimsAreReportedBack() throws Exception {
        try (NodeClient a = client("client-test@a/11111111")) {
            NodeInfo info = a.info(openNode);
            assertEquals(NodeProtocol.VERSION, info.protocol());
            assertEquals(openNode.port(), info.port());
            assertTrue(info.cores() >= 1, "cores: " + info.cores());
            assertTrue(info.memoryTotalMB() > 0 && info.memoryFreeMB() <= info.memoryTotalMB(), info.toString());
            assertTrue(info.engines().contains("raytracer"), "engines: " + info.engines());

            a.claim(openNode, false, 10_000);
            assertEquals(List.of("client-test@a/11111111"), a.info(openNode).masters());
            a.release(openNode);
            assertEquals(List.of(), a.info(openNode).masters());
        }
    }

    @Test
    void aClaimOnAHeldNodeIsRefusedWith409NamingTheHolder() throws Exception {
        try (NodeClient a = client("client-test@a/22222222"); NodeClient b = client("client-test@b/33333333")) {
            a.claim(openNode, false, 10_000);
            try {
                NodeRequestException e = assertThrows(NodeRequestException.class, () -> b.claim(openNode, false, 10_000));
                assertEquals(409, e.status());
                assertEquals(List.of("client-test@a/22222222"), e.heldBy());
                assertEquals(openNode.address(), e.node());
                assertTrue(e.getMessage().startsWith(openNode.address() + ": "), e.getMessage());
            } finally {
                a.release(openNode);
            }
        }
    }

    @Test
    void aDeadNodeIsUnreachable() throws Exception {
        ClusterNode dead = ClusterNode.of("127.0.0.1", TesseraProcess.freePort());
        try (NodeClient c = client("client-test@dead/44444444")) {
            NodeUnreachableException e = assertThrows(NodeUnreachableException.class, () -> c.info(dead));
            assertEquals(0, e.status());
            assertFalse(e.timedOut());
            assertTrue(e.reason().contains("connection refused"), e.getMessage());
            NodeUnreachableException unknown = assertThrows(NodeUnreachableException.class,
                    () -> c.info(ClusterNode.of("no-such-node.invalid", 7701)));
            assertEquals("unknown host", unknown.reason());
        }
    }

    @Test
    void aTokenNodeAnswers401WithoutTheTokenAndServesWithIt() throws Exception {
        try (NodeClient none = client("client-test@none/55555555");
                NodeClient wrong = NodeClient.builder("client-test@wrong/66666666").token("not-" + TOKEN).build();
                NodeClient right = NodeClient.builder("client-test@right/77777777").token(TOKEN).build()) {
            NodeAuthenticationException e = assertThrows(NodeAuthenticationException.class, () -> none.info(lockedNode));
            assertEquals(401, e.status());
            NodeAuthenticationException w = assertThrows(NodeAuthenticationException.class, () -> wrong.info(lockedNode));
            assertFalse(w.getMessage().contains(TOKEN), "the token is never in a message: " + w.getMessage());
            assertEquals(lockedNode.port(), right.info(lockedNode).port());
        }
    }

    @Test
    void aRefusedRequestCarriesTheNodesOwnMessage() throws Exception {
        byte[] scene = "{\"spheres\":[]}".getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(scene));
        try (NodeClient c = client("client-test@scene/88888888")) {
            NodeRequestException wrongHash = assertThrows(NodeRequestException.class,
                    () -> c.putScene(openNode, "0".repeat(64), scene, Duration.ofSeconds(10)));
            assertEquals(400, wrongHash.status());
            assertTrue(wrongHash.reason().contains(sha), "the node names the content's real hash: " + wrongHash.reason());

            NodeRequestException notCached = assertThrows(NodeRequestException.class, () -> c.renderTile(openNode,
                    "{\"sha256\":\"" + "1".repeat(64) + "\",\"main\":\"s.json\",\"engine\":\"raytracer\",\"frame\":1,"
                            + "\"x\":0,\"y\":0,\"width\":8,\"height\":8,\"imageWidth\":8,\"imageHeight\":8}",
                    Duration.ofSeconds(10)));
            assertEquals(404, notCached.status());
            assertTrue(notCached.reason().contains("not cached"), notCached.reason());

            assertTrue(c.putScene(openNode, sha, scene, Duration.ofSeconds(10)), "stored now");
            assertFalse(c.putScene(openNode, sha, scene, Duration.ofSeconds(10)), "already cached");
            byte[] ppm = c.testImage(openNode, 16, 8);
            byte[] header = "P6\n16 8\n255\n".getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(header, java.util.Arrays.copyOf(ppm, header.length));
        }
    }

    /**
     * A 5xx: no real node fails on demand, so a loopback endpoint on the project's own HTTP stack answers
     * the way a node's failed render does ({@code 500 {"error": …}}) and a bare 502 without JSON.
     */
    @Test
    void aFailingNodeGivesAServerErrorWithItsMessage() throws Exception {
        try (HttpEndpoint failing = HttpEndpoint.builder().name("failing-node")
                .route(NodeProtocol.RENDER, x -> {
                    x.body();
                    x.respond(500, "application/json", "{\"error\":\"render failed: disk full\"}".getBytes(StandardCharsets.UTF_8));
                })
                .route(NodeProtocol.INFO, x -> x.respond(502, "text/plain", "bad gateway".getBytes(StandardCharsets.UTF_8)))
                .start(); NodeClient c = client("client-test@fail/99999999")) {
            ClusterNode node = ClusterNode.of("127.0.0.1", failing.port());
            NodeServerException e = assertThrows(NodeServerException.class, () -> c.renderTile(node, "{}", Duration.ofSeconds(10)));
            assertEquals(500, e.status());
            assertEquals("render failed: disk full", e.reason());
            NodeServerException bare = assertThrows(NodeServerException.class, () -> c.info(node));
            assertEquals(502, bare.status());
            assertEquals("HTTP 502", bare.reason());
            assertTrue(bare instanceof NodeException);
        }
    }
}
