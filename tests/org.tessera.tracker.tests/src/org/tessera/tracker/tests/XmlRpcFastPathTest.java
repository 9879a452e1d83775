// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tessera.internal.tracker.core.XmlRpcCodec;
import org.tessera.internal.tracker.core.XmlRpcFastPath;

/**
 * The fast decoder for plain calls gives exactly what the hardened StAX decoder gives for the calls
 * real clients send (Python's xmlrpc.client, run here, and Tessera's own client), and gives up — so
 * that the StAX path refuses or decodes them — on everything outside its subset.
 */
class XmlRpcFastPathTest {
    private static XmlRpcCodec.MethodCall fast(byte[] body) {
        return XmlRpcFastPath.parseCall(body, body.length);
    }

    private static XmlRpcCodec.MethodCall full(byte[] body) throws Exception {
        return XmlRpcCodec.parseCall(new ByteArrayInputStream(body));
    }

    private static void assertSame(byte[] body) throws Exception {
        XmlRpcCodec.MethodCall f = fast(body);
        assertNotNull(f, "the fast path decodes:\n" + new String(body, StandardCharsets.UTF_8));
        XmlRpcCodec.MethodCall s = full(body);
        assertEquals(s.methodName(), f.methodName());
        assertEquals(normalize(s.params()), normalize(f.params()), new String(body, StandardCharsets.UTF_8));
    }

    /** byte[] has no value equality: compare base64 values as lists. */
    private static Object normalize(Object v) {
        if (v instanceof byte[] bytes) {
            List<Byte> list = new ArrayList<>();
            for (byte b : bytes) {
                list.add(b);
            }
            return list;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(XmlRpcFastPathTest::normalize).toList();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, normalize(x)));
            return out;
        }
        return v;
    }

    @Test
    void pythonClientCallsDecodeAlikeOnBothPaths() throws Exception {
        String program = String.join("\n",
                "import sys, xmlrpc.client as x",
                "calls = [",
                "  (('/bench/shot1.hip', 7, 0.25), 'setFrameRenderFraction'),",
                "  (('ann:C:/shots/a.hip', [1, 2, 3, -4], True, 2**31 - 1), 'startedRenderProject'),",
                "  (('p', 5, 2**31 - 1, 'a & b <c> \"q\" \\'s\\' \\t tab'), 'startedFrameRender'),",
                "  (('p', {'k': [1, 2.5, False, 'v'], 'empty': ''}, []), 'anything'),",
                "  ((x.Binary(b'\\x00\\x01binary'), 1e-7, -0.0, 12345678.9), 'typed'),",
                "  ((), 'getAllProjects'),",
                "]",
                "out = [x.dumps(p, methodname=m).encode('utf-8') for p, m in calls]",
                "out.append(x.dumps(('p', None), methodname='nil', allow_none=True).encode('utf-8'))",
                "sys.stdout.buffer.write(b'\\0'.join(out))");
        Process p = new ProcessBuilder("python3", "-c", program).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] all = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        List<byte[]> documents = split(all);
        assertEquals(7, documents.size());
        for (byte[] d : documents) {
            assertSame(d);
        }
        XmlRpcCodec.MethodCall update = fast(documents.get(0));
        assertEquals("setFrameRenderFraction", update.methodName());
        assertEquals(List.of("/bench/shot1.hip", 7, 0.25), update.params());
        XmlRpcCodec.MethodCall start = fast(documents.get(1));
        assertEquals(List.of(1, 2, 3, -4), start.params().get(1));
        assertEquals(Integer.MAX_VALUE, start.params().get(3));
        assertEquals("a & b <c> \"q\" 's' \t tab", fast(documents.get(2)).params().get(3));
        assertArrayEquals("\u0000\u0001binary".getBytes(StandardCharsets.ISO_8859_1),
                (byte[]) fast(documents.get(4)).params().get(0));
        assertEquals(Arrays.asList("p", null), fast(documents.get(6)).params());
    }

    private static List<byte[]> split(byte[] all) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == 0) {
                parts.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    @Test
    void javaClientCallsDecodeAlikeOnBothPaths() throws Exception {
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("changes", List.of(List.of(1, 3, 0.5)));
        struct.put("event_id", 1L << 35);
        assertSame(XmlRpcCodec.call("setFrameRenderFraction", List.of("/bench/shot1.hip", 7, 0.25)));
        assertSame(XmlRpcCodec.call("m", List.of(struct, true, "x & <y> > z", -12)));
        assertSame(XmlRpcCodec.call("getAllProjects", List.of()));
    }

    @Test
    void givesUpOnEverythingOutsideItsSubset() throws Exception {
        String head = "<?xml version=\"1.0\"?>\n";
        String body = "<methodCall><methodName>m</methodName><params><param><value>%s</value></param></params></methodCall>";
        List<String> outside = List.of(
                HostileXmlTest.xxe(),
                HostileXmlTest.billionLaughs(),
                HostileXmlTest.deep(XmlRpcCodec.MAX_DEPTH + 1),
                HostileXmlTest.deep(10_000),
                head + "<!-- comment -->" + body.formatted("x"),
                head + body.formatted("<![CDATA[<x>]]>"),
                head + body.formatted("&custom;"),
                head + body.formatted("&#0;"),
                head + body.formatted("&#+65;"),
                head + body.formatted("caf\u00e9"),
                head + body.formatted("a\r\nb"),
                head + body.formatted("a]]>b"),
                head + body.formatted("<string lang=\"en\">x</string>"),
                head + body.formatted("<x:string>x</x:string>"),
                head + body.formatted("<int>12x</int>"),
                head + body.formatted("<boolean>2</boolean>"),
                head + body.formatted("<bogus>1</bogus>"),
                head + body.formatted("text<int>1</int>"),
                head + body.formatted("<string/>"),
                "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + body.formatted("x"),
                " <?xml version=\"1.0\"?>" + body.formatted("x"),
                head + body.formatted("x") + "<?pi?>",
                head + body.formatted("x") + "<more/>",
                head + "<methodCall><methodName> </methodName></methodCall>",
                head + "<methodCall><methodName>isRunning",
                "not xml");
        for (String doc : outside) {
            assertNull(fast(doc.getBytes(StandardCharsets.UTF_8)), "the fast path must give up on:\n" + doc);
        }
        // non-ASCII text is decoded by the full path
        assertEquals(List.of("caf\u00e9"), XmlRpcCodec.parseCall((head + body.formatted("caf\u00e9"))
                .getBytes(StandardCharsets.UTF_8)).params());
        // and character references the fast path knows give what the full path gives
        assertSame((head + body.formatted("a &amp; b &lt;c&gt; &#233;&#x20AC;&#13;")).getBytes(StandardCharsets.UTF_8));
    }
}
