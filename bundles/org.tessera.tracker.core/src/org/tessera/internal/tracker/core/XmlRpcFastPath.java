// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict decoder for the plain XML-RPC calls that real clients send (Python's
 * {@code xmlrpc.client}, Tessera's own client): UTF-8/ASCII, an optional XML declaration, elements
 * without attributes, whitespace between them, text with the five predefined entities and character
 * references. It works on the body's bytes without creating a StAX reader, which costs more than the
 * rest of a small call.
 * <p>
 * It accepts only that subset and gives up on anything else — a DOCTYPE, a comment, CDATA, a processing
 * instruction, any other entity, attributes, namespaces, non-ASCII text, a carriage return in text,
 * nesting deeper than {@link XmlRpcCodec#MAX_DEPTH}, anything malformed or of the wrong type — by
 * returning {@code null}; {@link XmlRpcCodec} then decodes the body with the hardened StAX path, which
 * answers exactly as it always did (the value, or the fault). So every hostile document still meets
 * the StAX path's refusals, and for the documents accepted here both paths give the same values.
 */
public final class XmlRpcFastPath {
    /** Thrown to give up; no stack trace, so giving up is cheap. */
    private static final class GiveUp extends Exception {
        private static final long serialVersionUID = 1L;

        GiveUp() {
            super(null, null, false, false);
        }
    }

    private static final GiveUp GIVE_UP = new GiveUp();

    private static final String[] KNOWN_DECLARATIONS = {"<?xml version='1.0'?>", "<?xml version=\"1.0\"?>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"};

    private final byte[] b;
    private final int end;
    private int p;
    private int elements;

    private XmlRpcFastPath(byte[] body, int length) {
        this.b = body;
        this.end = length;
    }

    /** The decoded call, or {@code null} when the body is not in the subset this path decodes. */
    public static XmlRpcCodec.MethodCall parseCall(byte[] body, int length) {
        try {
            return new XmlRpcFastPath(body, length).call();
        } catch (GiveUp | RuntimeException e) {
            return null;
        }
    }

    private XmlRpcCodec.MethodCall call() throws GiveUp {
        if (startsWith(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})) {
            p += 3;
        }
        declaration();
        ws();
        expect("<methodCall>");
        ws();
        expect("<methodName>");
        String name = text().trim();
        expect("</methodName>");
        if (name.isEmpty()) {
            throw GIVE_UP;
        }
        ws();
        List<Object> params = new ArrayList<>(4);
        if (startsWith("<params>")) {
            p += 8;
            ws();
            while (startsWith("<param>")) {
                p += 7;
                ws();
                expect("<value>");
                params.add(value(1));
                ws();
                expect("</param>");
                ws();
            }
            expect("</params>");
            ws();
        }
        expect("</methodCall>");
        ws();
        if (p != end) {
            throw GIVE_UP;
        }
        return new XmlRpcCodec.MethodCall(name, params);
    }

    /** {@code <?xml version="1.0" [encoding="UTF-8"] [standalone=...]?>} at the very start, if present. */
    private void declaration() throws GiveUp {
        if (!startsWith("<?xml")) {
            return;
        }
        // the declarations Python's and Tessera's clients write
        for (String known : KNOWN_DECLARATIONS) {
            if (startsWith(known)) {
                p += known.length();
                return;
            }
        }
        int close = -1;
        for (int i = p + 5; i + 1 < end && i < p + 200; i++) {
            if (b[i] == '?' && b[i + 1] == '>') {
                close = i;
                break;
            }
        }
        if (close < 0 || b[p + 5] != ' ') {
            throw GIVE_UP;
        }
        String decl = new String(b, p + 5, close - p - 5, StandardCharsets.ISO_8859_1).trim();
        // only pseudo-attributes of plain ASCII; any encoding but UTF-8 goes to the full parser
        for (int i = 0; i < decl.length(); i++) {
            char c = decl.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128 || c == ' ' || c == '=' || c == '"' || c == '\'' || c == '.'
                    || c == '-' || c == '_')) {
                throw GIVE_UP;
            }
        }
        if (!decl.startsWith("version=\"1.0\"") && !decl.startsWith("version='1.0'")) {
            throw GIVE_UP;
        }
        String lower = decl.toLowerCase(java.util.Locale.ROOT);
        int enc = lower.indexOf("encoding");
        if (enc >= 0 && !lower.startsWith("encoding=\"utf-8\"", enc) && !lower.startsWith("encoding='utf-8'", enc)) {
            throw GIVE_UP;
        }
        p = close + 2;
    }

    /** Reads a value; positioned after {@code <value>}, ends after {@code </value>}. */
    private Object value(int depth) throws GiveUp {
        if (depth > XmlRpcCodec.MAX_DEPTH || ++elements > XmlRpcCodec.MAX_ELEMENTS) {
            throw GIVE_UP;
        }
        int start = p;
        String untyped = text();
        if (startsWith("</value>")) {
            p += 8;
            return untyped;
        }
        for (int i = start; i < p; i++) {
            if (!isSpace(b[i])) {
                throw GIVE_UP; // text before a typed element
            }
        }
        Object v = typed(depth);
        ws();
        expect("</value>");
        return v;
    }

    private Object typed(int depth) throws GiveUp {
        if (startsWith("<nil/>")) {
            p += 6;
            return null;
        }
        String type = openTag();
        switch (type) {
            case "int", "i4", "i8" -> {
                String t = closedText(type).trim();
                long v = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
                return type.equals("i8") || v != (int) v ? (Object) v : (Object) (int) v;
            }
            case "boolean" -> {
                String t = closedText(type).trim();
                if (t.equals("1") || t.equalsIgnoreCase("true")) {
                    return Boolean.TRUE;
                }
                if (t.equals("0") || t.equalsIgnoreCase("false")) {
                    return Boolean.FALSE;
                }
                throw GIVE_UP;
            }
            case "double" -> {
                return Double.parseDouble(closedText(type).trim());
            }
            case "string", "dateTime.iso8601" -> {
                return closedText(type);
            }
            case "base64" -> {
                return Base64.getMimeDecoder().decode(closedText(type).trim());
            }
            case "nil" -> {
                if (!closedText(type).isEmpty()) {
                    throw GIVE_UP;
                }
                return null;
            }
            case "array" -> {
                ws();
                expect("<data>");
                List<Object> list = new ArrayList<>();
                ws();
                while (startsWith("<value>")) {
                    p += 7;
                    list.add(value(depth + 1));
                    ws();
                }
                expect("</data>");
                ws();
                expect("</array>");
                return list;
            }
            case "struct" -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ws();
                while (startsWith("<member>")) {
                    p += 8;
                    ws();
                    expect("<name>");
                    String name = text();
                    expect("</name>");
                    ws();
                    expect("<value>");
                    map.put(name, value(depth + 1));
                    ws();
                    expect("</member>");
                    ws();
                }
                expect("</struct>");
                return map;
            }
            default -> throw GIVE_UP;
        }
    }

    /** {@code <name>} with a plain ASCII name and nothing else in the tag; returns the name. */
    private String openTag() throws GiveUp {
        if (p >= end || b[p] != '<') {
            throw GIVE_UP;
        }
        int i = p + 1;
        while (i < end && i < p + 40 && (isNameByte(b[i]))) {
            i++;
        }
        if (i == p + 1 || i >= end || b[i] != '>') {
            throw GIVE_UP;
        }
        String name = new String(b, p + 1, i - p - 1, StandardCharsets.ISO_8859_1);
        p = i + 1;
        return name;
    }

    /** Text up to {@code </type>}, which it consumes. */
    private String closedText(String type) throws GiveUp {
        String t = text();
        if (p + type.length() + 3 > end || b[p] != '<' || b[p + 1] != '/' || b[p + type.length() + 2] != '>') {
            throw GIVE_UP;
        }
        for (int i = 0; i < type.length(); i++) {
            if (b[p + 2 + i] != type.charAt(i)) {
                throw GIVE_UP;
            }
        }
        p += type.length() + 3;
        return t;
    }

    /**
     * Character data up to the next {@code <}: printable ASCII, tab and newline, the five predefined
     * entities and character references to XML characters.
     */
    private String text() throws GiveUp {
        int start = p;
        boolean plain = true;
        while (p < end && b[p] != '<') {
            byte c = b[p];
            if (c == '&') {
                plain = false;
            } else if (c < 0x20 && c != '\t' && c != '\n' || c == '>' || c < 0) {
                throw GIVE_UP; // control characters, CR (XML normalizes it), '>' (']]>'), non-ASCII
            }
            p++;
        }
        if (p >= end) {
            throw GIVE_UP;
        }
        if (plain) {
            return new String(b, start, p - start, StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(p - start);
        for (int i = start; i < p; i++) {
            byte c = b[i];
            if (c != '&') {
                sb.append((char) c);
                continue;
            }
            int semi = i + 1;
            while (semi < p && semi < i + 12 && b[semi] != ';') {
                semi++;
            }
            if (semi >= p || b[semi] != ';') {
                throw GIVE_UP;
            }
            String ref = new String(b, i + 1, semi - i - 1, StandardCharsets.ISO_8859_1);
            switch (ref) {
                case "amp" -> sb.append('&');
                case "lt" -> sb.append('<');
                case "gt" -> sb.append('>');
                case "quot" -> sb.append('"');
                case "apos" -> sb.append('\'');
                default -> {
                    if (ref.length() < 2 || ref.charAt(0) != '#') {
                        throw GIVE_UP; // any other entity: the full parser refuses it
                    }
                    boolean hex = ref.charAt(1) == 'x';
                    String digits = ref.substring(hex ? 2 : 1);
                    if (digits.isEmpty() || !digits.chars().allMatch(d -> d >= '0' && d <= '9' || hex && (d >= 'a' && d <= 'f'
                            || d >= 'A' && d <= 'F'))) {
                        throw GIVE_UP;
                    }
                    int cp = Integer.parseInt(digits, hex ? 16 : 10);
                    if (!(cp == 0x9 || cp == 0xA || cp == 0xD || cp >= 0x20 && cp <= 0xD7FF || cp >= 0xE000 && cp <= 0xFFFD
                            || cp >= 0x10000 && cp <= 0x10FFFF)) {
                        throw GIVE_UP;
                    }
                    sb.appendCodePoint(cp);
                }
            }
            i = semi;
        }
        return sb.toString();
    }

    private void ws() {
        while (p < end && isSpace(b[p])) {
            p++;
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }

    private static boolean isNameByte(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.';
    }

    private boolean startsWith(String s) {
        int n = s.length();
        if (p + n > end) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[p + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWith(byte[] s) {
        if (p + s.length > end) {
            return false;
        }
        for (int i = 0; i < s.length; i++) {
            if (b[p + i] != s[i]) {
                return false;
            }
        }
        return true;
    }

    private void expect(String s) throws GiveUp {
        if (!startsWith(s)) {
            throw GIVE_UP;
        }
        p += s.length();
    }
}
