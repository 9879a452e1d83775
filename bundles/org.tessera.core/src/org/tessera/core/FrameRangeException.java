// SPDX-License-Identifier: EPL-2.0
package org.tessera.core;

/**
 * Thrown when a frames expression does not follow the grammar
 * {@value FrameRange#GRAMMAR}. The message names the offending token, its
 * 1-based column in the input and the grammar, so it can be shown to a user as is.
 */
public class FrameRangeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final int column;
    private final String problem;

    public FrameRangeException(String input, int column, String problem) {
        super(compose(input, column, problem));
        this.input = input;
        this.column = column;
        this.problem = problem;
    }

    private static String compose(String input, int column, String problem) {
        StringBuilder sb = new StringBuilder("invalid frames \"").append(input).append("\"");
        if (column > 0) {
            sb.append(" at column ").append(column);
        }
        return sb.append(": ").append(problem).append(". Expected ").append(FrameRange.GRAMMAR)
                .append(", e.g. \"1 100\", \"1 100 2,200\" or \"-10 10 5\"").toString();
    }

    /** The expression that failed to parse. */
    public String input() {
        return input;
    }

    /** 1-based column of the offending token in {@link #input()}, or 0 when the whole input is at fault. */
    public int column() {
        return column;
    }

    /** What is wrong, without the input and grammar around it. */
    public String problem() {
        return problem;
    }
}
