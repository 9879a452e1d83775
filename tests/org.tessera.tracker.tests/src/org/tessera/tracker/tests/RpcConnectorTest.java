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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.tessera.internal.tracker.core.RpcConnector;

/**
 * The tracker's hand-written HTTP/1.1 connector, over raw sockets: keep-alive and pipelining,
 * HTTP/1.0, 100-continue, chunked bodies, limits, errors, token, idle timeout, rounds.
 */
class RpcConnectorTest {
    private static final long LIMIT = 4096;

    /** Echoes bodies as "answer:<body>"; bodies starting with "inline" run on the I/O thread, "slow" sleeps. */
    private static final class Echo implements RpcConnector.Handler {
        final AtomicInteger rounds = new AtomicInteger();
        final AtomicBoolean failRounds = new AtomicBoolean();
        final CountDownLatch slowStarted = new CountDownLatch(1);

        @Override
        public boolean inline(byte[] body) {
            return new String(body, StandardCharsets.UTF_8).startsWith("inline");
        }

        @Override
        public byte[] handle(byte[] body, boolean inline) {
            String text = new String(body, StandardCharsets.UTF_8);
            if (text.startsWith("slow")) {
                slowStarted.countDown();
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ("answer:" + text + (inline ? ":io" : ":pool")).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] tooLarge(long limitBytes) {
            return ("too large, limit " + limitBytes).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean roundDone() {
            rounds.incrementAndGet();
            return !failRounds.get();
        }

        @Override
        public byte[] storeFailed() {
            return "not stored".getBytes(StandardCharsets.UTF_8);
        }
    }

    private record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static RpcConnector start(Echo echo, String token, long idleMillis) throws IOException {
        return RpcConnector.start("127.0.0.1", 0, "/RPC2", token, LIMIT, idleMillis, 4, 1, echo);
    }

    private static Socket connect(RpcConnector c) throws IOException {
        Socket s = new Socket("127.0.0.1", c.port());
        s.setSoTimeout(10_000);
        return s;
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
    void keepAliveAndPipelinedRequestsAreAnsweredInOrder() throws Exception {
        Echo echo = new Echo();
        try (RpcConnector c = start(echo, null, 30_000); Socket s = connect(c)) {
            send(s, post("inline-1") + post("pool-2") + post("inline-3"));
            InputStream in = s.getInputStream();
            Answer a = read(in);
            assertEquals(200, a.status());
            assertEquals("answer:inline-1:io", a.body());
            assertEquals("text/xml; charset=utf-8", a.header("Content-Type"));
            assertTrue(a.header("Date") != null && a.header("Date").endsWith("GMT"), "Date header: " + a.headers());
            assertEquals("answer:pool-2:pool", read(in).body());
            assertEquals("answer:inline-3:io", read(in).body());
            send(s, post("inline-4"));
            assertEquals("answer:inline-4:io", read(in).body(), "the connection stays open");
            assertTrue(echo.rounds.get() >= 2, "inline answers are sent after a round: " + echo.rounds.get());
        }
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() throws Exception {
        try (RpcConnector c = start(new Echo(), null, 30_000)) {
            try (Socket s = connect(c)) {
                send(s, "POST /RPC2 HTTP/1.0\r\nContent-Length: 6\r\n\r\ninline");
                Answer a = read(s.getInputStream());
                assertEquals("answer:inline:io", a.body());
                assertEquals("close", a.header("Connection"));
                assertClosed(s);
            }
            try (Socket s = connect(c)) {
                send(s, "POST /RPC2 HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 6\r\n\r\ninline");
                Answer a = read(s.getInputStream());
                assertEquals("keep-alive", a.header("Connection"));
                send(s, "POST /RPC2 HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 7\r\n\r\ninline2");
                assertEquals("answer:inline2:io", read(s.getInputStream()).body());
            }
            try (Socket s = connect(c)) {
                send(s, post("inline", "Connection: close"));
                assertEquals("close", read(s.getInputStream()).header("Connection"));
                assertClosed(s);
            }
        }
    }

    @Test
    void expectContinueAndChunkedBodies() throws Exception {
        try (RpcConnector c = start(new Echo(), null, 30_000); Socket s = connect(c)) {
            InputStream in = s.getInputStream();
            send(s, "POST /RPC2 HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 8\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", line(in));
            assertEquals("", line(in));
            send(s, "inline-x");
            assertEquals("answer:inline-x:io", read(in).body());

            send(s, "POST /RPC2 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3;name=value\r\ninl\r\n" + "A\r\nine-chunke\r\n" + "1\r\nd\r\n" + "0\r\nX-Trailer: yes\r\n\r\n");
            assertEquals("answer:inline-chunked:io", read(in).body());

            // split at awkward places: the parser waits for the rest
            for (String part : new String[] {"POST /RPC2 HTTP/1.1\r\nTransfer-Enc", "oding: chunked\r\n\r\n4\r", "\npool\r\n0\r\n", "\r\n"}) {
                send(s, part);
                Thread.sleep(30);
            }
            assertEquals("answer:pool:pool", read(in).body());
        }
    }

    @Test
    void bodiesOverTheLimitGetTheTooLargeAnswerAndTheRestIsDropped() throws Exception {
        try (RpcConnector c = start(new Echo(), null, 30_000)) {
            String big = "inline" + "x".repeat((int) LIMIT * 40);
            try (Socket s = connect(c)) {
                send(s, post(big));
                Answer a = read(s.getInputStream());
                assertEquals(200, a.status());
                assertEquals("too large, limit " + LIMIT, a.body());
                assertEquals("close", a.header("Connection"));
                assertClosed(s);
            }
            try (Socket s = connect(c)) {
                StringBuilder chunked = new StringBuilder("POST /RPC2 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
                for (int i = 0; i < 40; i++) {
                    chunked.append(Integer.toHexString((int) LIMIT)).append("\r\n").append("y".repeat((int) LIMIT)).append("\r\n");
                }
                send(s, chunked.append("0\r\n\r\n").toString());
                assertEquals("too large, limit " + LIMIT, read(s.getInputStream()).body());
                assertClosed(s);
            }
            try (Socket s = connect(c)) {
                send(s, post("inline-after"));
                assertEquals("answer:inline-after:io", read(s.getInputStream()).body(), "still serving");
            }
        }
    }

    @Test
    void malformedOrRefusedRequestsGetTheRightStatusAndTheConnectionCloses() throws Exception {
        try (RpcConnector c = start(new Echo(), null, 30_000)) {
            Object[][] cases = {
                {"GET /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n", 405},
                {"POST /other HTTP/1.1\r\nContent-Length: 6\r\n\r\ninline", 404},
                {"POST /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n", 411},
                {"POST /RPC2 HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
                {"POST /RPC2 HTTP/1.1\r\nContent-Length: -3\r\n\r\n", 400},
                {"POST /RPC2 HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
                {"POST /RPC2 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
                {"this is not http\r\n\r\n", 400},
                {"POST /RPC2 HTTP/1.1\r\nX-Big: " + "h".repeat(RpcConnector.MAX_HEAD + 10) + "\r\n\r\n", 431},
            };
            for (Object[] k : cases) {
                try (Socket s = connect(c)) {
                    send(s, (String) k[0]);
                    Answer a = read(s.getInputStream());
                    String request = ((String) k[0]).substring(0, Math.min(60, ((String) k[0]).length()));
                    assertEquals(k[1], a.status(), request);
                    assertTrue(a.header("Content-Type").startsWith("text/plain"), request);
                    assertClosed(s);
                }
            }
            try (Socket s = connect(c)) {
                send(s, "GET /RPC2 HTTP/1.1\r\n\r\n");
                assertEquals("POST", read(s.getInputStream()).header("Allow"));
            }
        }
    }

    @Test
    void aTokenIsRequiredWhenSet() throws Exception {
        try (RpcConnector c = start(new Echo(), "s3cret", 30_000)) {
            for (String auth : new String[] {null, "Authorization: Bearer wrong", "Authorization: Basic !!notbase64"}) {
                try (Socket s = connect(c)) {
                    send(s, auth == null ? post("inline") : post("inline", auth));
                    Answer a = read(s.getInputStream());
                    assertEquals(401, a.status(), String.valueOf(auth));
                    assertTrue(a.header("WWW-Authenticate").contains("Bearer"), a.headers().toString());
                }
            }
            try (Socket s = connect(c)) {
                send(s, post("inline", "Authorization: Bearer s3cret"));
                assertEquals("answer:inline:io", read(s.getInputStream()).body());
                String basic = Base64.getEncoder().encodeToString("anyone:s3cret".getBytes(StandardCharsets.UTF_8));
                send(s, post("inline", "Authorization: Basic " + basic));
                assertEquals("answer:inline:io", read(s.getInputStream()).body());
            }
        }
        assertThrows(IllegalStateException.class, () -> RpcConnector.start("0.0.0.0", 0, "/RPC2", null, LIMIT, 1000, 1, 1,
                new Echo()), "off loopback without a token");
    }

    @Test
    void aFailedRoundAnswersStoreFailedInsteadOfTheCallsAnswers() throws Exception {
        Echo echo = new Echo();
        try (RpcConnector c = start(echo, null, 30_000); Socket s = connect(c)) {
            echo.failRounds.set(true);
            send(s, post("inline-a"));
            assertEquals("not stored", read(s.getInputStream()).body());
            echo.failRounds.set(false);
            send(s, post("inline-b"));
            assertEquals("answer:inline-b:io", read(s.getInputStream()).body());
        }
    }

    @Test
    void idleAndStalledConnectionsAreClosedWhileOthersAreServed() throws Exception {
        Echo echo = new Echo();
        try (RpcConnector c = start(echo, null, 1000); Socket idle = connect(c); Socket stalled = connect(c);
                Socket slow = connect(c); Socket fast = connect(c)) {
            send(stalled, "POST /RPC2 HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly part of it");
            send(slow, post("slow"));
            assertTrue(echo.slowStarted.await(10, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            send(fast, post("inline-fast"));
            assertEquals("answer:inline-fast:io", read(fast.getInputStream()).body());
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "an inline call does not wait for a slow pool call");
            assertEquals("answer:slow:pool", read(slow.getInputStream()).body());
            idle.setSoTimeout(8000);
            stalled.setSoTimeout(8000);
            try {
                assertClosed(idle);
                assertClosed(stalled);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("idle connections were not closed", e);
            }
        }
    }

    /**
     * Slow clients cannot pile up connections (issue 17): beyond the cap a new connection gets 503 at once;
     * once some close, new ones are served again.
     */
    @Test
    void connectionsBeyondTheCapAreRefusedWith503() throws Exception {
        Echo echo = new Echo();
        java.util.List<Socket> held = new java.util.ArrayList<>();
        try (RpcConnector c = start(echo, null, 30_000)) {
            try {
                for (int i = 0; i < RpcConnector.MAX_CONNECTIONS; i++) {
                    Socket s = connect(c);
                    held.add(s);
                    send(s, "POST /RPC2 HTTP/1.1\r\nContent-Length: 100\r\n\r\nstalled"); // a slow client
                }
                try (Socket one = connect(c)) {
                    send(one, post("inline-late"));
                    Answer a = read(one.getInputStream());
                    assertEquals(503, a.status(), a.body());
                    assertTrue(a.body().contains("too many connections"), a.body());
                    assertClosed(one);
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try (Socket again = connect(c)) {
                    send(again, post("inline-again"));
                    Answer a = read(again.getInputStream());
                    if (a.status() == 200) {
                        assertEquals("answer:inline-again:io", a.body());
                        break;
                    }
                    assertTrue(System.nanoTime() < deadline, "closed connections must free their places");
                    Thread.sleep(50);
                }
            }
        }
    }
}
