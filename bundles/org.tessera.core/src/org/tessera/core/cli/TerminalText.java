// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.cli;

/**
 * Text from files and servers made safe to print on a terminal: names in stats files, project names in a
 * tracker, messages of remote servers are data, and an escape sequence among them must not take effect
 * (move the cursor, retitle the window, hide text). Control characters other than line feed and tab are
 * shown as {@code \\uXXXX}.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** {@code text} with every control character except {@code \n} and {@code \t} written as {@code \\uXXXX}. */
    public static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028'
                    || c == '\u2029';
            if (control) {
                if (b == null) {
                    b = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                b.append(String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }

    /** Like {@link #printable(String)}, and a line feed or tab is shown too: for one-line fields. */
    public static String printableLine(String text) {
        return text == null ? null : printable(text).replace("\n", "\\n").replace("\t", "\\t");
    }
}
