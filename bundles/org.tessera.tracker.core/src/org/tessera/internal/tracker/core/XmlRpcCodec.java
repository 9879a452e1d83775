// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * XML-RPC encoding and a hardened decoder. Java values: {@link Integer} ({@code int}/{@code i4}),
 * {@link Long} ({@code i8}, or an int too large for 32 bits when writing), {@link Boolean},
 * {@link Double}, {@link String} (also {@code dateTime.iso8601}, kept as text), {@code byte[]}
 * ({@code base64}), {@link List} ({@code array}), {@link Map} ({@code struct}), null ({@code nil}).
 * <p>
 * The decoder uses the JDK's StAX parser with DTDs and external entities off, refuses any DOCTYPE or
 * entity reference, limits nesting to {@link #MAX_DEPTH} values and element counts to
 * {@link #MAX_ELEMENTS}; every refusal is an {@link XmlRpcFault} with {@link XmlRpcFault#PARSE_ERROR}.
 * Body size is limited by the HTTP endpoint before parsing.
 */
public final class XmlRpcCodec {
    /** Deepest nesting of values (arrays/structs) accepted; the JDK parser also stops at 100 elements deep. */
    public static final int MAX_DEPTH = 30;
    /** Most XML elements accepted in one document. */
    public static final int MAX_ELEMENTS = 2_000_000;

    private static final XMLInputFactory FACTORY = createFactory();

    private XmlRpcCodec() {
    }

    /** A decoded method call. */
    public record MethodCall(String methodName, List<Object> params) {
    }

    private static XMLInputFactory createFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setXMLResolver((publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external entities are not allowed");
        });
        return f;
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes a {@code <methodCall>} body: the plain calls that clients send through
     * {@link XmlRpcFastPath}, anything else (hostile documents included) through the hardened StAX
     * path, which refuses what it must.
     */
    public static MethodCall parseCall(byte[] body) throws XmlRpcFault {
        MethodCall fast = XmlRpcFastPath.parseCall(body, body.length);
        return fast != null ? fast : parseCall(new java.io.ByteArrayInputStream(body));
    }

    /** Decodes a {@code <methodCall>}. */
    public static MethodCall parseCall(InputStream in) throws XmlRpcFault {
        Reader r = new Reader(in);
        try {
            r.root("methodCall");
            r.startChild("methodName");
            String name = r.text().trim();
            r.end("methodName");
            List<Object> params = new ArrayList<>();
            if (r.nextTagOrEnd("methodCall")) {
                r.require("params");
                while (r.nextTagOrEnd("params")) {
                    r.require("param");
                    r.startChild("value");
                    params.add(r.value(1));
                    r.end("param");
                }
                r.end("methodCall");
            }
            r.finish();
            if (name.isEmpty()) {
                throw new XmlRpcFault(XmlRpcFault.INVALID_REQUEST, "empty methodName");
            }
            return new MethodCall(name, params);
        } finally {
            r.close();
        }
    }

    /**
     * Decodes a {@code <methodResponse>}: its value, or the fault it carries thrown as
     * {@link XmlRpcFault}.
     */
    public static Object parseResponse(InputStream in) throws XmlRpcFault {
        Reader r = new Reader(in);
        try {
            r.root("methodResponse");
            r.nextTag();
            if (r.is("fault")) {
                r.startChild("value");
                Object v = r.value(1);
                r.end("fault");
                r.end("methodResponse");
                r.finish();
                if (v instanceof Map<?, ?> m) {
                    Object code = m.get("faultCode");
                    throw new ResponseFault(code instanceof Number n ? n.intValue() : XmlRpcFault.INTERNAL_ERROR,
                            String.valueOf(m.get("faultString")));
                }
                throw new XmlRpcFault(XmlRpcFault.INVALID_REQUEST, "malformed fault");
            }
            r.require("params");
            r.startChild("param");
            r.startChild("value");
            Object v = r.value(1);
            r.end("param");
            r.end("params");
            r.end("methodResponse");
            r.finish();
            return v;
        } finally {
            r.close();
        }
    }

    /** A fault the server sent (as opposed to one found while decoding). */
    public static final class ResponseFault extends XmlRpcFault {
        private static final long serialVersionUID = 1L;

        ResponseFault(int code, String message) {
            super(code, message);
        }
    }

    /** Pull-parser walk with structure, depth and count checks. */
    private static final class Reader {
        private final XMLStreamReader x;
        private int elements;
        private XmlRpcFault openFailure;

        Reader(InputStream in) {
            XMLStreamReader reader = null;
            try {
                reader = FACTORY.createXMLStreamReader(in);
            } catch (XMLStreamException e) {
                openFailure = new XmlRpcFault(XmlRpcFault.PARSE_ERROR, "not XML: " + e.getMessage());
            }
            this.x = reader;
        }

        void close() {
            if (x != null) {
                try {
                    x.close();
                } catch (XMLStreamException ignored) {
                    // nothing held
                }
            }
        }

        private int next() throws XmlRpcFault {
            if (openFailure != null) {
                throw openFailure;
            }
            try {
                if (!x.hasNext()) {
                    throw new XmlRpcFault(XmlRpcFault.PARSE_ERROR, "document ends too early");
                }
                int e = x.next();
                switch (e) {
                    case XMLStreamConstants.DTD ->
                        throw new XmlRpcFault(XmlRpcFault.PARSE_ERROR, "DOCTYPE declarations are not allowed");
                    case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
                        throw new XmlRpcFault(XmlRpcFault.PARSE_ERROR, "entity references are not allowed");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (++elements > MAX_ELEMENTS) {
                            throw new XmlRpcFault(XmlRpcFault.PARSE_ERROR, "more than " + MAX_ELEMENTS + " elements");
                        }
                    }
                    default -> {
                        // text, comments, processing instructions, end tags
                    }
                }
                return e;
            } catch (XMLStreamException e) {
                String msg = e.getMessage() == null ? "malformed XML" : e.getMessage().replaceAll("\\s+", " ");
                throw new XmlRpcFault(XmlRpcFault.PARSE_ERROR, "malformed XML: " + msg);
            }
        }

        /** Moves to the next start or end tag, refusing non-blank text in between. */
        int nextTag() throws XmlRpcFault {
            while (true) {
                int e = next();
                switch (e) {
                    case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT -> {
                        return e;
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!x.isWhiteSpace() && !x.getText().isBlank()) {
                            throw new XmlRpcFault(XmlRpcFault.INVALID_REQUEST, "unexpected text \""
                                    + abbreviate(x.getText()) + "\"");
                        }
                    }
                    case XMLStreamConstants.END_DOCUMENT ->
                        throw new XmlRpcFault(XmlRpcFault.PARSE_ERROR, "document ends too early");
                    default -> {
                        // comments, processing instructions
                    }
                }
            }
        }

        void root(String name) throws XmlRpcFault {
            if (nextTag() != XMLStreamConstants.START_ELEMENT || !is(name)) {
                throw new XmlRpcFault(XmlRpcFault.INVALID_REQUEST, "expected <" + name + ">");
            }
        }

        boolean is(String name) {
            return x.getLocalName().equals(name);
        }

        void require(String name) throws XmlRpcFault {
            if (x.getEventType() != XMLStreamConstants.START_ELEMENT || !is(name)) {
                throw new XmlRpcFault(XmlRpcFault.INVALID_REQUEST, "expected <" + name + "> but found "
                        + describe());
            }
        }

        void startChild(String name) throws XmlRpcFault {
            nextTag();
            require(name);
        }

        /** True at a start tag; false at the end tag {@code parent}. */
        boolean nextTagOrEnd(String parent) throws XmlRpcFault {
            int e = nextTag();
            if (e == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (!is(parent)) {
                throw new XmlRpcFault(XmlRpcFault.INVALID_REQUEST, "expected </" + parent + "> but found " + describe());
            }
            return false;
        }

        void end(String name) throws XmlRpcFault {
            if (x.getEventType() == XMLStreamConstants.END_ELEMENT && is(name)) {
                return;
            }
            int e = nextTag();
            if (e != XMLStreamConstants.END_ELEMENT || !is(name)) {
                throw new XmlRpcFault(XmlRpcFault.INVALID_REQUEST, "expected </" + name + "> but found " + describe());
            }
        }

        void finish() throws XmlRpcFault {
            while (true) {
                int e = next();
                if (e == XMLStreamConstants.END_DOCUMENT) {
                    return;
                }
                if (e == XMLStreamConstants.START_ELEMENT
                        || ((e == XMLStreamConstants.CHARACTERS) && !x.getText().isBlank())) {
                    throw new XmlRpcFault(XmlRpcFault.INVALID_REQUEST, "content after the root element");
                }
            }
        }

        private String describe() {
            return switch (x.getEventType()) {
                case XMLStreamConstants.START_ELEMENT -> "<" + x.getLocalName() + ">";
                case XMLStreamConstants.END_ELEMENT -> "</" + x.getLocalName() + ">";
                default -> "event " + x.getEventType();
            };
        }

        /** Text content up to the end of the current element; child elements are refused. */
        String text() throws XmlRpcFault {
            StringBuilder sb = new StringBuilder();
            while (true) {
                int e = next();
                switch (e) {
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        sb.append(x.getText());
                    case XMLStreamConstants.END_ELEMENT -> {
                        return sb.toString();
                    }
                    case XMLStreamConstants.START_ELEMENT ->
                        throw new XmlRpcFault(XmlRpcFault.INVALID_REQUEST, "unexpected <" + x.getLocalName() + ">");
                    case XMLStreamConstants.END_DOCUMENT ->
                        throw new XmlRpcFault(XmlRpcFault.PARSE_ERROR, "document ends too early");
                    default -> {
                        // comments
                    }
                }
            }
        }

        /** Reads a value; positioned on {@code <value>}, ends on {@code </value>}. */
        Object value(int depth) throws XmlRpcFault {
            if (depth > MAX_DEPTH) {
                throw new XmlRpcFault(XmlRpcFault.PARSE_ERROR, "values nested deeper than " + MAX_DEPTH + " levels");
            }
            StringBuilder untyped = new StringBuilder();
            while (true) {
                int e = next();
                switch (e) {
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        untyped.append(x.getText());
                    case XMLStreamConstants.END_ELEMENT -> {
                        return untyped.toString();
                    }
                    case XMLStreamConstants.START_ELEMENT -> {
                        Object v = typed(depth);
                        end("value");
                        return v;
                    }
                    case XMLStreamConstants.END_DOCUMENT ->
                        throw new XmlRpcFault(XmlRpcFault.PARSE_ERROR, "document ends too early");
                    default -> {
                        // comments
                    }
                }
            }
        }

        private Object typed(int depth) throws XmlRpcFault {
            String type = x.getLocalName();
            switch (type) {
                case "int", "i4", "i8" -> {
                    String t = text().trim();
                    try {
                        long v = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
                        return type.equals("i8") || v != (int) v ? (Object) v : (Object) (int) v;
                    } catch (NumberFormatException e) {
                        throw new XmlRpcFault(XmlRpcFault.INVALID_PARAMS, "<" + type + "> \"" + abbreviate(t)
                                + "\" is not a whole number");
                    }
                }
                case "boolean" -> {
                    String t = text().trim();
                    if (t.equals("1") || t.equalsIgnoreCase("true")) {
                        return Boolean.TRUE;
                    }
                    if (t.equals("0") || t.equalsIgnoreCase("false")) {
                        return Boolean.FALSE;
                    }
                    throw new XmlRpcFault(XmlRpcFault.INVALID_PARAMS, "<boolean> must be 0 or 1, not \"" + abbreviate(t) + "\"");
                }
                case "double" -> {
                    String t = text().trim();
                    try {
                        return Double.parseDouble(t);
                    } catch (NumberFormatException e) {
                        throw new XmlRpcFault(XmlRpcFault.INVALID_PARAMS, "<double> \"" + abbreviate(t) + "\" is not a number");
                    }
                }
                case "string", "dateTime.iso8601" -> {
                    return text();
                }
                case "base64" -> {
                    try {
                        return Base64.getMimeDecoder().decode(text().trim());
                    } catch (IllegalArgumentException e) {
                        throw new XmlRpcFault(XmlRpcFault.INVALID_PARAMS, "<base64> is not base64");
                    }
                }
                case "nil" -> {
                    text();
                    return null;
                }
                case "array" -> {
                    List<Object> list = new ArrayList<>();
                    startChild("data");
                    while (nextTagOrEnd("data")) {
                        require("value");
                        list.add(value(depth + 1));
                    }
                    end("array");
                    return list;
                }
                case "struct" -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    while (nextTagOrEnd("struct")) {
                        require("member");
                        startChild("name");
                        String name = text();
                        startChild("value");
                        map.put(name, value(depth + 1));
                        end("member");
                    }
                    return map;
                }
                default -> throw new XmlRpcFault(XmlRpcFault.INVALID_REQUEST, "unknown value type <" + type + ">");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    // ---------------------------------------------------------------- encoding

    private static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private static final byte[] TRUE_RESPONSE = encodeResponse(Boolean.TRUE);

    /** A {@code <methodResponse>} carrying one value. The array may be shared: do not change it. */
    public static byte[] response(Object value) {
        // most calls (every update) answer true: the same bytes each time
        return Boolean.TRUE.equals(value) ? TRUE_RESPONSE : encodeResponse(value);
    }

    private static byte[] encodeResponse(Object value) {
        StringBuilder sb = new StringBuilder(256).append(HEADER).append("<methodResponse><params><param>");
        value(sb, value, 0);
        sb.append("</param></params></methodResponse>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A {@code <methodResponse>} carrying a fault. */
    public static byte[] fault(int code, String message) {
        StringBuilder sb = new StringBuilder(256).append(HEADER).append("<methodResponse><fault>");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("faultCode", code);
        m.put("faultString", message == null ? "" : message);
        value(sb, m, 0);
        sb.append("</fault></methodResponse>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A {@code <methodCall>}. */
    public static byte[] call(String method, List<?> params) {
        StringBuilder sb = new StringBuilder(256).append(HEADER).append("<methodCall><methodName>");
        escape(sb, method);
        sb.append("</methodName><params>");
        for (Object p : params) {
            sb.append("<param>");
            value(sb, p, 0);
            sb.append("</param>");
        }
        sb.append("</params></methodCall>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void value(StringBuilder sb, Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH);
        }
        sb.append("<value>");
        switch (v) {
            case null -> sb.append("<nil/>");
            case Integer i -> sb.append("<int>").append(i).append("</int>");
            case Short s -> sb.append("<int>").append(s).append("</int>");
            case Long l -> {
                if (l == (int) (long) l) {
                    sb.append("<int>").append(l).append("</int>");
                } else {
                    sb.append("<i8>").append(l).append("</i8>");
                }
            }
            case Boolean b -> sb.append("<boolean>").append(b ? 1 : 0).append("</boolean>");
            case Double d -> sb.append("<double>").append(plain(d)).append("</double>");
            case Float f -> sb.append("<double>").append(plain(f.doubleValue())).append("</double>");
            case String s -> {
                sb.append("<string>");
                escape(sb, s);
                sb.append("</string>");
            }
            case byte[] bytes -> sb.append("<base64>").append(Base64.getEncoder().encodeToString(bytes)).append("</base64>");
            case Map<?, ?> m -> {
                sb.append("<struct>");
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append("<member><name>");
                    escape(sb, String.valueOf(e.getKey()));
                    sb.append("</name>");
                    value(sb, e.getValue(), depth + 1);
                    sb.append("</member>");
                }
                sb.append("</struct>");
            }
            case Iterable<?> list -> {
                sb.append("<array><data>");
                for (Object o : list) {
                    value(sb, o, depth + 1);
                }
                sb.append("</data></array>");
            }
            case Object[] array -> value(sb, List.of(array), depth);
            default -> throw new IllegalArgumentException("no XML-RPC type for " + v.getClass().getName());
        }
        sb.append("</value>");
    }

    private static String plain(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("XML-RPC cannot carry " + d);
        }
        String s = Double.toString(d);
        return s.indexOf('E') >= 0 ? new BigDecimal(s).toPlainString() : s;
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '\r' -> sb.append("&#13;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' || c == 0xFFFE || c == 0xFFFF) {
                        sb.append('\uFFFD'); // not representable in XML 1.0
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }
}
