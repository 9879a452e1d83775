// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core;

/**
 * A cluster configuration that cannot be used. The message names the line, column and token at fault
 * and what would be accepted instead.
 */
public class ClusterConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;
    private final String token;

    /**
     * @param problem what is wrong
     * @param line    1-based line, or 0 when unknown
     * @param column  1-based column, or 0 when unknown
     * @param token   the offending text, or null
     */
    public ClusterConfigException(String problem, int line, int column, String token) {
        super(format(problem, line, column, token));
        this.line = line;
        this.column = column;
        this.token = token;
    }

    private static String format(String problem, int line, int column, String token) {
        StringBuilder sb = new StringBuilder();
        if (line > 0) {
            sb.append("line ").append(line);
            if (column > 0) {
                sb.append(", column ").append(column);
            }
            sb.append(": ");
        }
        sb.append(problem);
        if (token != null && !problem.contains("'" + token + "'")) {
            sb.append(" (at '").append(token.length() > 60 ? token.substring(0, 60) + "…" : token).append("')");
        }
        return sb.toString();
    }

    /** 1-based line of the fault, 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column of the fault, 0 when unknown. */
    public int column() {
        return column;
    }

    /** The offending token, or null. */
    public String token() {
        return token;
    }
}
