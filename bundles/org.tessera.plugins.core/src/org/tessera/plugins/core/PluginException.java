// SPDX-License-Identifier: EPL-2.0
package org.tessera.plugins.core;

/**
 * A plugin operation that could not be done: the message says what was wrong (a repository that does
 * not load, a feature no repository offers, a conflict p2 found) and what to do about it.
 */
public class PluginException extends Exception {
    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
