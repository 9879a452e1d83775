// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

/** Validation of host names, IPv4 and IPv6 literals, and {@code host:port} words. */
public final class HostNames {
    private HostNames() {
    }

    /** A host and a port; port -1 when none was written. */
    public record HostPort(String host, int port) {
    }

    /**
     * Splits {@code host}, {@code host:port}, {@code ::1}, {@code [::1]} or {@code [::1]:port}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static HostPort parseHostPort(String word) {
        String host;
        String port = null;
        if (word.startsWith("[")) {
            int close = word.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'[' without ']' around an IPv6 address");
            }
            host = word.substring(1, close);
            String rest = word.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
            if (!isIpv6(host)) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv6 address");
            }
        } else {
            int first = word.indexOf(':');
            if (first >= 0 && word.indexOf(':', first + 1) >= 0) {
                host = word;
                if (!isIpv6(host)) {
                    throw new IllegalArgumentException("'" + word + "' is not an IPv6 address (write [v6]:port for a port)");
                }
            } else if (first >= 0) {
                host = word.substring(0, first);
                port = word.substring(first + 1);
            } else {
                host = word;
            }
            if (!isIpv6(host)) {
                String problem = problem(host);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
            }
        }
        return new HostPort(host, port == null ? -1 : port(port));
    }

    /** Parses a port 1..65535. */
    public static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("port '" + text + "' must be a number 1..65535");
        }
        int p = Integer.parseInt(text);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " is outside 1..65535");
        }
        return p;
    }

    /** Why {@code host} is not a valid host name, IPv4 or IPv6 literal; null when it is valid. */
    public static String problem(String host) {
        if (host.isEmpty()) {
            return "empty host name";
        }
        if (host.indexOf(':') >= 0) {
            return isIpv6(host) ? null : "'" + host + "' is not an IPv6 address";
        }
        if (host.length() > 253) {
            return "host name longer than 253 characters";
        }
        if (host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
            return isIpv4(host) ? null : "'" + host + "' is not an IPv4 address (four numbers 0-255)";
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return "'" + host + "' has an empty or over-long label";
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return "'" + host + "': a name part cannot start or end with '-'";
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return "'" + host + "' contains '" + c + "'; host names use letters, digits, '-', '_' and '.'";
                }
            }
        }
        return null;
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        if (s.length() < 2 || s.length() > 45) {
            return false;
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            String z = s.substring(zone + 1);
            if (z.isEmpty() || !z.matches("[A-Za-z0-9_.-]+")) {
                return false;
            }
            s = s.substring(0, zone);
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        String[] halves = dbl >= 0 ? new String[] {s.substring(0, dbl), s.substring(dbl + 2)} : new String[] {s};
        int groups = 0;
        for (int h = 0; h < halves.length; h++) {
            if (halves[h].isEmpty()) {
                continue;
            }
            String[] parts = halves[h].split(":", -1);
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i];
                boolean lastOfAll = h == halves.length - 1 && i == parts.length - 1;
                if (lastOfAll && p.indexOf('.') >= 0) {
                    if (!isIpv4(p)) {
                        return false;
                    }
                    groups += 2;
                    continue;
                }
                if (p.isEmpty() || p.length() > 4 || !p.matches("[0-9A-Fa-f]+")) {
                    return false;
                }
                groups++;
            }
        }
        return dbl >= 0 ? groups <= 7 : groups == 8;
    }
}
