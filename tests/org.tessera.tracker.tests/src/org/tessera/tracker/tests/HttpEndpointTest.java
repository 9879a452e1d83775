// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tessera.http.HttpBodyRoute;
import org.tessera.http.HttpEndpoint;
import org.tessera.http.HttpExchange;

/** The embedded HTTP server library: binding, tokens, body limits, graceful stop. */
class HttpEndpointTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpEndpoint.Builder echo() {
        return HttpEndpoint.builder().maxRequestBytes(1000).route("/echo", ex -> {
            byte[] body = ex.body();
            ex.respond(200, "application/octet-stream", body);
        });
    }

    private HttpResponse<String> post(URI uri, HttpRequest.BodyPublisher body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).POST(body);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ephemeralPortOnLoopbackEchoesAndUnknownPathIs404() throws Exception {
        try (HttpEndpoint endpoint = echo().start()) {
            assertTrue(endpoint.port() > 0, "bound port reported");
            assertEquals("127.0.0.1", endpoint.host());
            HttpResponse<String> r = post(endpoint.uri("/echo"), HttpRequest.BodyPublishers.ofString("hello"), null);
            assertEquals(200, r.statusCode());
            assertEquals("hello", r.body());
            assertEquals(404, post(endpoint.uri("/nope"), HttpRequest.BodyPublishers.ofString("x"), null).statusCode());
        }
    }

    @Test
    void tokenIsRequiredOffLoopbackAndCheckedWhenSet() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> echo().host("0.0.0.0").start().close());
        assertTrue(e.getMessage().contains("requires an access token"), e.getMessage());

        try (HttpEndpoint endpoint = echo().host("0.0.0.0").accessToken("s3cret").start()) {
            URI uri = endpoint.uri("/echo");
            HttpResponse<String> none = post(uri, HttpRequest.BodyPublishers.ofString("x"), null);
            assertEquals(401, none.statusCode());
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").contains("Bearer"));
            assertEquals(401, post(uri, HttpRequest.BodyPublishers.ofString("x"), "Bearer wrong").statusCode());
            assertEquals(200, post(uri, HttpRequest.BodyPublishers.ofString("x"), "Bearer s3cret").statusCode());
            String basic = "Basic " + Base64.getEncoder().encodeToString("anyone:s3cret".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, post(uri, HttpRequest.BodyPublishers.ofString("x"), basic).statusCode());
            String badBasic = "Basic " + Base64.getEncoder().encodeToString("s3cret:nope".getBytes(StandardCharsets.UTF_8));
            assertEquals(401, post(uri, HttpRequest.BodyPublishers.ofString("x"), badBasic).statusCode());
        }
    }

    @Test
    void bodiesOverTheLimitAre413WhetherDeclaredOrStreamed() throws Exception {
        try (HttpEndpoint endpoint = echo().start()) {
            URI uri = endpoint.uri("/echo");
            assertEquals(200, post(uri, HttpRequest.BodyPublishers.ofByteArray(new byte[1000]), null).statusCode());
            // declared: Content-Length over the limit
            assertEquals(413, post(uri, HttpRequest.BodyPublishers.ofByteArray(new byte[5000]), null).statusCode());
            // streamed: chunked, no Content-Length, so only counting the bytes finds it
            HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers
                    .ofInputStream(() -> new ByteArrayInputStream(new byte[5000]));
            assertEquals(413, post(uri, chunked, null).statusCode());
            // and the endpoint keeps serving
            assertEquals("ok", post(uri, HttpRequest.BodyPublishers.ofString("ok"), null).body());
        }
    }

    @Test
    void gracefulStopLetsARequestInFlightFinish() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        HttpEndpoint endpoint = HttpEndpoint.builder().stopTimeoutMillis(10_000).route("/slow", ex -> {
            entered.countDown();
            Thread.sleep(700);
            ex.respondText(200, "finished");
        }).start();
        URI uri = endpoint.uri("/slow");
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(10, TimeUnit.SECONDS), "request reached the route");
        endpoint.close();
        HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("finished", r.body());
        assertTrue(!endpoint.isRunning(), "stopped");
        assertThrows(IOException.class, () -> http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void routeFailureIs500AndServerKeepsServing() throws Exception {
        try (HttpEndpoint endpoint = HttpEndpoint.builder().route("/boom", ex -> {
            throw new IllegalStateException("boom");
        }).route("/empty", ex -> {
        }).start()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.uri("/boom")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, r.statusCode());
            assertTrue(!r.body().contains("boom"), "internal details are not sent: " + r.body());
            assertEquals(204, http.send(HttpRequest.newBuilder(endpoint.uri("/empty")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    /** Echoes the body; small bodies on the I/O thread, oversized ones get a 200 saying so. */
    private static HttpBodyRoute echoBody() {
        return new HttpBodyRoute() {
            @Override
            public void handle(HttpExchange exchange, byte[] body) {
                exchange.respond(200, "application/octet-stream", body);
            }

            @Override
            public void tooLarge(HttpExchange exchange, long limitBytes) {
                exchange.respondText(200, "too large: " + limitBytes);
            }

            @Override
            public boolean handleInline(HttpExchange exchange, byte[] body) {
                return body.length <= 100;
            }
        };
    }

    @Test
    void bodyRouteAnswersOversizedBodiesItselfAfterDroppingThem() throws Exception {
        try (HttpEndpoint endpoint = HttpEndpoint.builder().maxRequestBytes(1000).bodyRoute("/body", echoBody()).start()) {
            URI uri = endpoint.uri("/body");
            assertEquals("small", post(uri, HttpRequest.BodyPublishers.ofString("small"), null).body());
            String limit = "x".repeat(1000); // handled on a pool thread: not inline
            assertEquals(limit, post(uri, HttpRequest.BodyPublishers.ofString(limit), null).body());
            for (int round = 0; round < 2; round++) {
                HttpResponse<String> declared = post(uri, HttpRequest.BodyPublishers.ofByteArray(new byte[3_000_000]), null);
                assertEquals(200, declared.statusCode());
                assertEquals("too large: 1000", declared.body());
                HttpResponse<String> chunked = post(uri, HttpRequest.BodyPublishers
                        .ofInputStream(() -> new ByteArrayInputStream(new byte[3_000_000])), null);
                assertEquals(200, chunked.statusCode());
                assertEquals("too large: 1000", chunked.body());
            }
            assertEquals("still serving", post(uri, HttpRequest.BodyPublishers.ofString("still serving"), null).body());
        }
        // without its own answer an oversized body is 413
        try (HttpEndpoint endpoint = HttpEndpoint.builder().maxRequestBytes(10).bodyRoute("/body", (ex, body) -> {
            ex.respond(200, "text/plain", body);
        }).start()) {
            assertEquals(413, post(endpoint.uri("/body"), HttpRequest.BodyPublishers.ofString("more than ten"), null)
                    .statusCode());
        }
    }

    @Test
    void aClientStuckInTheMiddleOfItsBodyHoldsUpNoOne() throws Exception {
        try (HttpEndpoint endpoint = HttpEndpoint.builder().bodyRoute("/body", echoBody()).start();
                Socket slow = new Socket("127.0.0.1", endpoint.port())) {
            OutputStream out = slow.getOutputStream();
            out.write("POST /body HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 10\r\n\r\nhalf".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            URI uri = endpoint.uri("/body");
            for (int i = 0; i < 50; i++) {
                assertEquals("call " + i, post(uri, HttpRequest.BodyPublishers.ofString("call " + i), null).body());
            }
            out.write("-rest!".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            slow.setSoTimeout(10_000);
            InputStream in = slow.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.endsWith("\r\n\r\nhalf-rest!"), answer);
        }
    }
}
