// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.tracker.core.TrackerServer;
import org.tessera.internal.tracker.core.TrackerService;
import org.tessera.internal.tracker.core.XmlRpcCodec;
import org.tessera.tracker.core.JobId;

/**
 * The tracker's {@code /RPC2} on the shared Jetty endpoint, over raw sockets with real XML-RPC calls to a
 * real tracker: keep-alive and pipelining (calls answered on the I/O thread and on the pool, in order),
 * HTTP/1.0, 100-continue, chunked bodies, the body limit, malformed and refused requests, the token, idle
 * connections (closed) and stalled ones (408, closed), the connection cap. (These were the tests of the hand-written connector that
 * served {@code /RPC2} before.)
 */
class TrackerHttpTest {
    private static final long LIMIT = 4096;
    private static final String TRUE = "<boolean>1</boolean>";

    @TempDir
    Path dir;

    private TrackerService service;
    private final List<TrackerServer> servers = new ArrayList<>();

    private record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    @AfterEach
    void close() {
        servers.forEach(TrackerServer::close);
        if (service != null) {
            service.close();
        }
    }

    /** A tracker with project "p" (frames 1-3) on a server with the 4 KiB body limit. */
    private TrackerServer start(String token, long idleMillis, int maxConnections) throws Exception {
        if (service == null) {
            service = Trackers.open(dir);
            service.startedRenderProject("p", List.of(1, 2, 3), false, JobId.of(7));
        }
        TrackerServer server = TrackerServer.start(service,
                new TrackerServer.Settings("127.0.0.1", 0, token, LIMIT, 8, 0, maxConnections, idleMillis));
        servers.add(server);
        return server;
    }

    private TrackerServer start() throws Exception {
        return start(null, 30_000, 512);
    }

    private static Socket connect(TrackerServer server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static String xml(String method, Object... params) {
        return new String(XmlRpcCodec.call(method, List.of(params)), StandardCharsets.UTF_8);
    }

    /** setFrameRenderFraction("p", frame, fraction): answered on the I/O thread. */
    private static String update(int frame, double fraction) {
        return xml("setFrameRenderFraction", "p", frame, fraction);
    }

    private static String post(String body, String... headers) {
        StringBuilder sb = new StringBuilder("POST /RPC2 HTTP/1.1\r\nHost: x\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(body)
                .toString();
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads one answer: status line, headers, Content-Length bytes of body. */
    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("connection closed before an answer");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        assertEquals(length, body.length, "whole body");
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void assertClosed(Socket s) throws IOException {
        try {
            assertEquals(-1, s.getInputStream().read(), "the server closed the connection");
        } catch (java.net.SocketException reset) {
            // closed with a reset: closed too
        }
    }

    @Test
    void keepAliveAndPipelinedCallsAreAnsweredInOrder() throws Exception {
        TrackerServer server = start();
        try (Socket s = connect(server)) {
            // an update (I/O thread), a project-wide query (pool), another update: answers in request order,
            // and the query sees the first update but not the third
            send(s, post(update(1, 0.25)) + post(xml("getAllFramesInfo", "p")) + post(update(2, 0.5)));
            InputStream in = s.getInputStream();
            Answer a = read(in);
            assertEquals(200, a.status());
            assertTrue(a.body().contains(TRUE), a.body());
            assertEquals("text/xml; charset=utf-8", a.header("Content-Type"));
            assertTrue(a.header("Date") != null && a.header("Date").endsWith("GMT"), "Date header: " + a.headers());
            String frames = read(in).body();
            assertTrue(frames.contains("<double>0.25</double>") && !frames.contains("<double>0.5</double>"), frames);
            assertTrue(read(in).body().contains(TRUE));
            send(s, post(xml("getChangedFrames", "p", 0)));
            String changes = read(in).body();
            assertTrue(changes.contains("<double>0.5</double>"), "the connection stays open: " + changes);
        }
        assertEquals(0.5, service.getAllFramesInfo("p").get(1).fraction());
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() throws Exception {
        TrackerServer server = start();
        String body = update(1, 0.1);
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        try (Socket s = connect(server)) {
            send(s, "POST /RPC2 HTTP/1.0\r\nContent-Length: " + length + "\r\n\r\n" + body);
            assertTrue(read(s.getInputStream()).body().contains(TRUE));
            assertClosed(s);
        }
        try (Socket s = connect(server)) {
            send(s, "POST /RPC2 HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: " + length + "\r\n\r\n" + body);
            Answer a = read(s.getInputStream());
            assertEquals("keep-alive", a.header("Connection"));
            send(s, "POST /RPC2 HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: " + length + "\r\n\r\n" + body);
            assertTrue(read(s.getInputStream()).body().contains(TRUE));
        }
        try (Socket s = connect(server)) {
            send(s, post(body, "Connection: close"));
            assertEquals("close", read(s.getInputStream()).header("Connection"));
            assertClosed(s);
        }
    }

    @Test
    void expectContinueAndChunkedBodies() throws Exception {
        TrackerServer server = start();
        try (Socket s = connect(server)) {
            InputStream in = s.getInputStream();
            String body = update(3, 0.75);
            send(s, "POST /RPC2 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", line(in));
            assertEquals("", line(in));
            send(s, body);
            assertTrue(read(in).body().contains(TRUE));
            assertEquals(0.75, service.getAllFramesInfo("p").get(2).fraction());

            // chunks with an extension and a trailer
            String b = update(1, 0.125);
            int third = b.length() / 3;
            String chunked = "POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(third) + ";name=value\r\n" + b.substring(0, third) + "\r\n"
                    + Integer.toHexString(b.length() - third) + "\r\n" + b.substring(third) + "\r\n" + "0\r\nX-Trailer: yes\r\n\r\n";
            send(s, chunked);
            assertTrue(read(in).body().contains(TRUE));
            assertEquals(0.125, service.getAllFramesInfo("p").get(0).fraction());

            // split at awkward places: the parser waits for the rest
            String q = xml("getAllProjects");
            String whole = "POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(q.length())
                    + "\r\n" + q + "\r\n0\r\n\r\n";
            int[] cuts = {20, 50, whole.indexOf("\r\n\r\n") + 3, whole.length() - 4, whole.length()};
            int from = 0;
            for (int cut : cuts) {
                send(s, whole.substring(from, cut));
                from = cut;
                Thread.sleep(30);
            }
            assertTrue(read(in).body().contains("<string>p</string>"));
        }
    }

    @Test
    void bodiesOverTheLimitGetFault32300AndTheRestIsDropped() throws Exception {
        TrackerServer server = start();
        String big = xml("setFrameError", "p", 1, "x".repeat((int) LIMIT * 40));
        try (Socket s = connect(server)) {
            send(s, post(big));
            Answer a = read(s.getInputStream());
            assertEquals(200, a.status());
            assertTrue(a.body().contains("<int>-32300</int>") && a.body().contains("limit of " + LIMIT + " bytes"), a.body());
            assertEquals("close", a.header("Connection"));
            assertClosed(s);
        }
        try (Socket s = connect(server)) {
            StringBuilder chunked = new StringBuilder("POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 40; i++) {
                chunked.append(Integer.toHexString((int) LIMIT)).append("\r\n").append("y".repeat((int) LIMIT)).append("\r\n");
            }
            send(s, chunked.append("0\r\n\r\n").toString());
            assertTrue(read(s.getInputStream()).body().contains("<int>-32300</int>"));
            assertClosed(s);
        }
        try (Socket s = connect(server)) {
            send(s, post(update(2, 0.2)));
            assertTrue(read(s.getInputStream()).body().contains(TRUE), "still serving");
        }
        assertEquals(org.tessera.tracker.core.FrameStatus.WAITING, service.getAllFramesInfo("p").get(0).status(),
                "the oversized setFrameError was not applied");
    }

    @Test
    void malformedOrRefusedRequestsGetTheRightStatusAndTheConnectionCloses() throws Exception {
        TrackerServer server = start();
        Object[][] cases = {
            {"GET /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n", 405},
            {"POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\ninline", 404},
            {"POST /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n", 411},
            // a request's Transfer-Encoding must end with chunked (RFC 9112 6.3)
            {"POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400},
            {"POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\n", 400},
            {"POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
            {"POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
            {"POST /RPC2 HTTP/1.1\r\nContent-Length: 6\r\n\r\ninline", 400}, // HTTP/1.1 without Host
            {"this is not http\r\n\r\n", 400},
            {"POST /RPC2 HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(16 * 1024 + 10) + "\r\n\r\n", 431},
        };
        for (Object[] k : cases) {
            try (Socket s = connect(server)) {
                send(s, (String) k[0]);
                Answer a = read(s.getInputStream());
                String request = ((String) k[0]).substring(0, Math.min(60, ((String) k[0]).length()));
                assertEquals(k[1], a.status(), request);
                assertTrue(a.header("Content-Type").startsWith("text/plain"), request + ": " + a.headers());
                assertClosed(s);
            }
        }
        try (Socket s = connect(server)) {
            send(s, "GET /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("POST", read(s.getInputStream()).header("Allow"));
        }
        try (Socket s = connect(server)) {
            send(s, post(update(1, 0.3)));
            assertTrue(read(s.getInputStream()).body().contains(TRUE), "still serving");
        }
    }

    @Test
    void aTokenIsRequiredWhenSet() throws Exception {
        TrackerServer server = start("s3cret", 30_000, 512);
        String body = update(1, 0.4);
        for (String auth : new String[] {null, "Authorization: Bearer wrong", "Authorization: Basic !!notbase64"}) {
            try (Socket s = connect(server)) {
                send(s, auth == null ? post(body) : post(body, auth));
                Answer a = read(s.getInputStream());
                assertEquals(401, a.status(), String.valueOf(auth));
                assertTrue(a.header("WWW-Authenticate").contains("Bearer"), a.headers().toString());
            }
        }
        assertEquals(0.0, service.getAllFramesInfo("p").get(0).fraction(), "no call got through without the token");
        try (Socket s = connect(server)) {
            send(s, post(body, "Authorization: Bearer s3cret"));
            assertTrue(read(s.getInputStream()).body().contains(TRUE));
            String basic = Base64.getEncoder().encodeToString("anyone:s3cret".getBytes(StandardCharsets.UTF_8));
            send(s, post(update(2, 0.6), "Authorization: Basic " + basic));
            assertTrue(read(s.getInputStream()).body().contains(TRUE));
        }
        assertEquals(0.6, service.getAllFramesInfo("p").get(1).fraction());
        assertThrows(IllegalStateException.class, () -> TrackerServer.start(service,
                new TrackerServer.Settings("0.0.0.0", 0, null, LIMIT, 8, 0, 512, 1000)), "off loopback without a token");
    }

    @Test
    void idleAndStalledConnectionsAreClosedWhileOthersAreServed() throws Exception {
        TrackerServer server = start(null, 1000, 512);
        try (Socket idle = connect(server); Socket stalled = connect(server); Socket fast = connect(server)) {
            send(stalled, "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part of it");
            long t0 = System.nanoTime();
            send(fast, post(update(1, 0.9)));
            assertTrue(read(fast.getInputStream()).body().contains(TRUE));
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "a call does not wait for a stalled client");
            idle.setSoTimeout(8000);
            stalled.setSoTimeout(8000);
            try {
                assertClosed(idle);
                Answer timeout = read(stalled.getInputStream());
                assertEquals(408, timeout.status(), timeout.body());
                assertEquals("close", timeout.header("Connection"));
                assertClosed(stalled);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("idle connections were not closed", e);
            }
        }
    }

    /**
     * Slow clients cannot pile up connections (issue 17): beyond the cap a request gets 503 at once; once
     * some close, new ones are served again.
     */
    @Test
    void connectionsBeyondTheCapAreRefusedWith503() throws Exception {
        int cap = 16;
        TrackerServer server = start(null, 30_000, cap);
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < cap; i++) {
                Socket s = connect(server);
                held.add(s);
                send(s, "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nstalled"); // a slow client
            }
            // the held connections are counted once the endpoint's I/O threads have registered them
            long until = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try (Socket one = connect(server)) {
                    send(one, post(update(1, 0.5)));
                    Answer a = read(one.getInputStream());
                    if (a.status() != 503 && System.nanoTime() < until) {
                        Thread.sleep(50);
                        continue;
                    }
                    assertEquals(503, a.status(), a.body());
                    assertTrue(a.body().contains("too many connections"), a.body());
                    assertClosed(one);
                    break;
                }
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket again = connect(server)) {
                send(again, post(update(1, 0.5)));
                Answer a = read(again.getInputStream());
                if (a.status() == 200) {
                    assertTrue(a.body().contains(TRUE));
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "closed connections must free their places");
                Thread.sleep(50);
            }
        }
    }
}
