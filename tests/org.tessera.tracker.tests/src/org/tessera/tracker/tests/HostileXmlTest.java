// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.tracker.core.TrackerServer;
import org.tessera.internal.tracker.core.TrackerService;
import org.tessera.internal.tracker.core.XmlRpcCodec;
import org.tessera.internal.tracker.core.XmlRpcFault;
import org.tessera.tracker.core.RenderTrackerClient;

/**
 * Hostile and broken XML-RPC requests get faults (oversized bodies too, declared or chunked) while a
 * well-behaved client keeps working against the same server at the same time.
 */
class HostileXmlTest {
    private static final String CALL_HEAD = "<?xml version=\"1.0\"?>\n";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<byte[]> post(URI uri, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Content-Type", "text/xml")
                .POST(body).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Posts the XML and returns the fault it must produce. */
    private XmlRpcFault fault(URI uri, String xml) throws Exception {
        return fault(uri, HttpRequest.BodyPublishers.ofString(xml), xml);
    }

    private XmlRpcFault fault(URI uri, HttpRequest.BodyPublisher publisher, String xml) throws Exception {
        HttpResponse<byte[]> r = post(uri, publisher);
        assertEquals(200, r.statusCode(), "faults travel in 200 responses");
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertFalse(body.contains("root:"), "no file content leaks: " + body);
        return assertThrows(XmlRpcFault.class, () -> XmlRpcCodec.parseResponse(new ByteArrayInputStream(r.body())),
                "expected a fault for:\n" + (xml.length() > 300 ? xml.substring(0, 300) + "..." : xml) + "\ngot: " + body);
    }

    static String xxe() {
        return CALL_HEAD + "<!DOCTYPE methodCall [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<methodCall><methodName>suggestInactiveProjectName</methodName><params><param><value><string>&xxe;"
                + "</string></value></param></params></methodCall>";
    }

    static String billionLaughs() {
        StringBuilder sb = new StringBuilder(CALL_HEAD).append("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        sb.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">");
        for (int i = 2; i <= 9; i++) {
            sb.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                sb.append("&lol").append(i - 1).append(';');
            }
            sb.append("\">");
        }
        sb.append("]><methodCall><methodName>suggestInactiveProjectName</methodName><params><param><value><string>&lol9;"
                + "</string></value></param></params></methodCall>");
        return sb.toString();
    }

    static String deep(int depth) {
        StringBuilder sb = new StringBuilder(CALL_HEAD).append("<methodCall><methodName>getAllProjects</methodName><params><param>");
        sb.append("<value><array><data>".repeat(depth)).append("<value><int>1</int></value>")
                .append("</data></array></value>".repeat(depth));
        return sb.append("</param></params></methodCall>").toString();
    }

    static String huge(int bytes) {
        StringBuilder sb = new StringBuilder(bytes + 200).append(CALL_HEAD)
                .append("<methodCall><methodName>suggestInactiveProjectName</methodName><params><param><value><string>");
        sb.append("x".repeat(bytes));
        return sb.append("</string></value></param></params></methodCall>").toString();
    }

    @Test
    void hostileRequestsGetFaultsWhileAGoodClientKeepsWorking() throws Exception {
        try (TrackerService service = Trackers.open(dir); TrackerServer server = TrackerServer.start(service, 0)) {
            URI uri = server.uri();
            RenderTrackerClient good = RenderTrackerClient.connect(uri, null);
            good.startedRenderProject("/good.hip", List.of(1), false, 1);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger goodCalls = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> goodFailures = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                Future<?> goodLoop = pool.submit(() -> {
                    int i = 0;
                    while (running.get()) {
                        try {
                            double f = (i++ % 99) / 100.0;
                            good.setFrameRenderFraction("/good.hip", 1, f);
                            if (Math.abs(good.getAllFramesInfo("/good.hip").get(0).fraction() - f) > 1e-9) {
                                goodFailures.add(new AssertionError("wrong fraction read back"));
                            }
                            goodCalls.incrementAndGet();
                        } catch (Throwable t) {
                            goodFailures.add(t);
                        }
                    }
                });
                int before = goodCalls.get();

                // hostile requests, two at a time
                List<Future<?>> attacks = List.of(pool.submit(() -> {
                    for (int round = 0; round < 3; round++) {
                        assertParseFault(fault(uri, xxe()), "(?is).*(doctype|entit).*");
                        assertParseFault(fault(uri, billionLaughs()), "(?is).*(doctype|entit).*");
                        assertParseFault(fault(uri, deep(10_000)), "(?s).*nested deeper.*");
                    }
                    return null;
                }), pool.submit(() -> {
                    for (int round = 0; round < 2; round++) {
                        String tenMegabytes = huge(10 * 1024 * 1024);
                        XmlRpcFault declared = fault(uri, HttpRequest.BodyPublishers.ofString(tenMegabytes), tenMegabytes);
                        assertEquals(XmlRpcFault.REQUEST_TOO_LARGE, declared.code(), declared.getMessage());
                        assertTrue(declared.getMessage().contains("limit of " + TrackerServer.DEFAULT_MAX_BODY + " bytes"),
                                declared.getMessage());
                        byte[] bytes = tenMegabytes.getBytes(StandardCharsets.UTF_8);
                        XmlRpcFault chunked = fault(uri, HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream(bytes)), "chunked 10 MB");
                        assertEquals(XmlRpcFault.REQUEST_TOO_LARGE, chunked.code(), chunked.getMessage());
                    }
                    return null;
                }));
                for (Future<?> a : attacks) {
                    a.get(120, TimeUnit.SECONDS);
                }
                // broken, not hostile
                assertEquals(XmlRpcFault.PARSE_ERROR, fault(uri, "this is not xml").code());
                assertEquals(XmlRpcFault.PARSE_ERROR, fault(uri, CALL_HEAD + "<methodCall><methodName>isRunning").code());
                assertEquals(XmlRpcFault.METHOD_NOT_FOUND, fault(uri, call("noSuchMethod", "")).code());
                assertEquals(XmlRpcFault.INVALID_PARAMS, fault(uri, call("isProjectDone", "")).code());
                XmlRpcFault typed = fault(uri, call("setFrameRenderFraction",
                        "<param><value>/good.hip</value></param><param><value><string>one</string></value></param>"
                                + "<param><value><double>0.5</double></value></param>"));
                assertEquals(XmlRpcFault.INVALID_PARAMS, typed.code());
                assertTrue(typed.getMessage().contains("argument 2"), typed.getMessage());
                assertEquals(XmlRpcFault.INVALID_REQUEST, fault(uri, CALL_HEAD + "<methodCall><methodName>isRunning"
                        + "</methodName><params><param><value><bogus/></value></param></params></methodCall>").code());
                assertEquals(405, http.send(HttpRequest.newBuilder(uri).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
                // an allowed depth still works
                assertTrue(XmlRpcCodec.parseCall(new ByteArrayInputStream(deep(XmlRpcCodec.MAX_DEPTH - 1)
                        .getBytes(StandardCharsets.UTF_8))).params().size() == 1);

                running.set(false);
                goodLoop.get(30, TimeUnit.SECONDS);
                assertTrue(goodFailures.isEmpty(), "the good client failed: " + goodFailures);
                assertTrue(goodCalls.get() > before + 10, "the good client kept working: " + goodCalls.get());
                assertTrue(good.isRunning());
            } finally {
                running.set(false);
                pool.shutdownNow();
            }
        }
    }

    private static String call(String method, String params) {
        return CALL_HEAD + "<methodCall><methodName>" + method + "</methodName><params>" + params + "</params></methodCall>";
    }

    private static void assertParseFault(XmlRpcFault f, String expectedRegex) {
        assertEquals(XmlRpcFault.PARSE_ERROR, f.code(), f.getMessage());
        assertTrue(f.getMessage().matches(expectedRegex), f.getMessage());
    }

    @Test
    void entitiesAndCharacterReferencesThatXmlRpcNeedsStillWork() throws Exception {
        String xml = CALL_HEAD + "<methodCall><methodName>m</methodName><params><param><value>a &amp; b &lt;c&gt; &#233;"
                + "<![CDATA[<d>]]></value></param></params></methodCall>";
        XmlRpcCodec.MethodCall call = XmlRpcCodec.parseCall(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("a & b <c> \u00e9<d>"), call.params());
        byte[] out = XmlRpcCodec.response("x & <y>\u0001");
        assertEquals("x & <y>\ufffd", XmlRpcCodec.parseResponse(new ByteArrayInputStream(out)));
    }
}
