// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.tessera.cluster.core.ClusterConfigException;
import org.tessera.cluster.core.ClusterNetwork;
import org.tessera.cluster.core.ClusterNode;

/**
 * Parses host lists: hosts separated by spaces, commas or new lines; ranges {@code pc1 - pc4},
 * {@code node01 - node12} (zero padding kept), {@code host:7701 - host:7716} (port ranges); groups
 * {@code name { hosts }}; {@code host:port}; IPv4; IPv6 bare ({@code ::1}) or bracketed
 * ({@code [::1]:7702}). Errors name line, column and token.
 */
public final class HostListParser {
    /** Most nodes one range (or one list) may produce. */
    public static final int MAX_NODES = 4096;

    private final String text;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private final Map<String, List<ClusterNode>> groups = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();
    private int count;

    private HostListParser(String text) {
        this.text = text;
    }

    public static List<ClusterNetwork> parse(String hostList) {
        HostListParser p = new HostListParser(hostList);
        p.tokenize();
        p.parseList();
        List<ClusterNetwork> networks = new ArrayList<>();
        p.groups.forEach((name, nodes) -> networks.add(new ClusterNetwork(name, nodes)));
        return networks;
    }

    private enum Kind {
        WORD, OPEN, CLOSE, DASH
    }

    private record Token(Kind kind, String text, int line, int column) {
    }

    private void tokenize() {
        int line = 1;
        int col = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                col = 1;
                i++;
                continue;
            }
            if (Character.isWhitespace(c) || c == ',' || c == ';') {
                i++;
                col++;
                continue;
            }
            if (c == '{' || c == '}') {
                tokens.add(new Token(c == '{' ? Kind.OPEN : Kind.CLOSE, String.valueOf(c), line, col));
                i++;
                col++;
                continue;
            }
            int start = i;
            int startCol = col;
            while (i < n) {
                char d = text.charAt(i);
                if (Character.isWhitespace(d) || d == ',' || d == ';' || d == '{' || d == '}') {
                    break;
                }
                i++;
                col++;
            }
            String word = text.substring(start, i);
            tokens.add(new Token(word.equals("-") ? Kind.DASH : Kind.WORD, word, line, startCol));
        }
    }

    private void parseList() {
        while (pos < tokens.size()) {
            Token t = tokens.get(pos);
            if (t.kind == Kind.WORD && pos + 1 < tokens.size() && tokens.get(pos + 1).kind == Kind.OPEN) {
                parseGroup();
            } else if (t.kind == Kind.CLOSE) {
                throw error("'}' without a group to close", t);
            } else if (t.kind == Kind.OPEN) {
                throw error("'{' must follow a group name, as in master {pc1 pc2}", t);
            } else {
                parseHostSpec(ClusterNetwork.DEFAULT_NAME);
            }
        }
    }

    private void parseGroup() {
        Token name = tokens.get(pos);
        if (!name.text.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw error("group name must be 1-64 letters, digits, '_', '.' or '-'", name);
        }
        if (groups.containsKey(name.text) && !name.text.equals(ClusterNetwork.DEFAULT_NAME)) {
            throw error("group '" + name.text + "' is defined twice", name);
        }
        pos += 2;
        int before = count;
        while (true) {
            if (pos >= tokens.size()) {
                throw error("group '" + name.text + "' is not closed with '}'", name);
            }
            Token t = tokens.get(pos);
            if (t.kind == Kind.CLOSE) {
                pos++;
                break;
            }
            if (t.kind == Kind.OPEN) {
                throw error("groups cannot be nested", t);
            }
            if (t.kind == Kind.WORD && pos + 1 < tokens.size() && tokens.get(pos + 1).kind == Kind.OPEN) {
                throw error("groups cannot be nested", tokens.get(pos + 1));
            }
            parseHostSpec(name.text);
        }
        if (count == before) {
            throw error("group '" + name.text + "' has no hosts", name);
        }
    }

    private void parseHostSpec(String group) {
        Token first = tokens.get(pos);
        if (first.kind == Kind.DASH) {
            throw error("range without a start host; write a range as pc1 - pc4", first);
        }
        pos++;
        Address start = address(first);
        if (pos < tokens.size() && tokens.get(pos).kind == Kind.DASH) {
            Token dash = tokens.get(pos);
            if (pos + 1 >= tokens.size() || tokens.get(pos + 1).kind != Kind.WORD) {
                throw error("range without an end host; write a range as pc1 - pc4", dash);
            }
            Token last = tokens.get(pos + 1);
            pos += 2;
            expandRange(group, first, start, last, address(last));
        } else {
            add(group, first, start.host, start.port < 0 ? ClusterNode.DEFAULT_PORT : start.port);
        }
    }

    private void expandRange(String group, Token first, Address a, Token last, Address b) {
        if (a.port >= 0 || b.port >= 0) {
            if (a.port < 0 || b.port < 0 || !a.host.equalsIgnoreCase(b.host)) {
                throw error("a port range needs the same host with a port on both ends, as in localhost:7701 - localhost:7716",
                        last);
            }
            if (b.port < a.port) {
                throw error("range runs backwards (" + a.port + " > " + b.port + ")", last);
            }
            checkSize(b.port - a.port + 1L, last);
            for (int p = a.port; p <= b.port; p++) {
                add(group, last, a.host, p);
            }
            return;
        }
        if (a.host.indexOf(':') >= 0 || b.host.indexOf(':') >= 0) {
            throw error("IPv6 addresses cannot form a range; list them", last);
        }
        int sa = digitsStart(a.host);
        int sb = digitsStart(b.host);
        if (sa == a.host.length() || sb == b.host.length()) {
            throw error("both ends of a range must end in a number, as in pc1 - pc4", sa == a.host.length() ? first : last);
        }
        String prefixA = a.host.substring(0, sa);
        String prefixB = b.host.substring(0, sb);
        if (!prefixA.toLowerCase(Locale.ROOT).equals(prefixB.toLowerCase(Locale.ROOT))) {
            throw error("range ends differ before the number ('" + prefixA + "' vs '" + prefixB + "')", last);
        }
        String da = a.host.substring(sa);
        String db = b.host.substring(sb);
        if (da.length() > 9 || db.length() > 9) {
            throw error("range numbers are limited to 9 digits", last);
        }
        long from = Long.parseLong(da);
        long to = Long.parseLong(db);
        if (to < from) {
            throw error("range runs backwards (" + da + " > " + db + ")", last);
        }
        checkSize(to - from + 1, last);
        boolean padded = da.length() > 1 && da.charAt(0) == '0' || da.length() == db.length();
        int width = padded ? da.length() : 1;
        for (long k = from; k <= to; k++) {
            String digits = Long.toString(k);
            while (digits.length() < width) {
                digits = "0" + digits;
            }
            String host = prefixA + digits;
            String problem = HostNames.problem(host);
            if (problem != null) {
                throw error("range produces an invalid host '" + host + "': " + problem, last);
            }
            add(group, last, host, ClusterNode.DEFAULT_PORT);
        }
    }

    private void checkSize(long size, Token at) {
        if (size > MAX_NODES || count + size > MAX_NODES) {
            throw error("too many nodes (at most " + MAX_NODES + ")", at);
        }
    }

    private static int digitsStart(String s) {
        int i = s.length();
        while (i > 0 && Character.isDigit(s.charAt(i - 1)) && s.charAt(i - 1) < 128) {
            i--;
        }
        return i;
    }

    private void add(String group, Token at, String host, int port) {
        ClusterNode node = ClusterNode.of(host, port);
        String key = host.toLowerCase(Locale.ROOT) + "|" + port;
        if (!seen.add(key)) {
            throw error("host " + node.address() + " is listed twice", at);
        }
        if (++count > MAX_NODES) {
            throw error("too many nodes (at most " + MAX_NODES + ")", at);
        }
        groups.computeIfAbsent(group, g -> new ArrayList<>()).add(node);
    }

    private record Address(String host, int port) {
    }

    private Address address(Token t) {
        try {
            HostNames.HostPort hp = HostNames.parseHostPort(t.text);
            return new Address(hp.host(), hp.port());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage(), t);
        }
    }

    private static ClusterConfigException error(String problem, Token t) {
        return new ClusterConfigException(problem, t.line, t.column, t.text);
    }
}
