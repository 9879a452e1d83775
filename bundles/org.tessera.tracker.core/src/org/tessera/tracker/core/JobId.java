// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.core;

import java.util.Objects;

/**
 * A render farm's job id, kept exactly as the farm sent it: HQueue sends whole numbers (XML-RPC
 * {@code int}), other farms strings (hex ids, UUIDs). The tracker stores the {@link Kind} with the id
 * and answers {@code getFrameJobID} with the same XML-RPC type: a number stays a number, and a string
 * stays a string even when it looks like a number ({@code "42"} is not {@code 42}).
 *
 * @param number the id when {@link #kind()} is {@link Kind#NUMBER}; 0 otherwise
 * @param text the id when {@link #kind()} is {@link Kind#TEXT}; null for a number
 */
public record JobId(long number, String text) {
    /** The longest text id accepted, in characters. */
    public static final int MAX_TEXT_LENGTH = 256;

    /** How the id was sent. */
    public enum Kind {
        /** A whole number (XML-RPC {@code int}/{@code i4}/{@code i8}). */
        NUMBER,
        /** A string (XML-RPC {@code string}, or an untyped value). */
        TEXT
    }

    /**
     * Checks a text id: not empty, at most {@value #MAX_TEXT_LENGTH} characters, no control characters.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public JobId {
        if (text != null) {
            if (number != 0) {
                throw new IllegalArgumentException("a text job id has no number");
            }
            if (text.isEmpty()) {
                throw new IllegalArgumentException("job id must not be empty");
            }
            if (text.length() > MAX_TEXT_LENGTH) {
                throw new IllegalArgumentException("job id is " + text.length() + " characters long; at most "
                        + MAX_TEXT_LENGTH + " are accepted");
            }
            for (int i = 0; i < text.length(); i++) {
                if (Character.isISOControl(text.charAt(i))) {
                    throw new IllegalArgumentException("job id must not contain control characters (found U+"
                            + String.format("%04X", (int) text.charAt(i)) + " at " + i + ")");
                }
            }
        }
    }

    /** A whole-number id, as HQueue sends it. */
    public static JobId of(long number) {
        return new JobId(number, null);
    }

    /** A string id, as other farms send it; kept as is (never parsed as a number). */
    public static JobId of(String text) {
        return new JobId(0, Objects.requireNonNull(text, "job id"));
    }

    /** Whether the id was sent as a number or as a string. */
    public Kind kind() {
        return text == null ? Kind.NUMBER : Kind.TEXT;
    }

    /** The id as sent: a {@link Long} for a number, a {@link String} for text. */
    public Object value() {
        return text == null ? (Object) number : text;
    }

    /** The id as people read it: the number in decimal or the text. */
    @Override
    public String toString() {
        return text == null ? Long.toString(number) : text;
    }
}
