// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/**
 * Rendering failed in a way the caller can report or act on; the message says what went wrong and,
 * where known, what to do (install a renderer, fix the scene...).
 */
public class RenderException extends Exception {
    private static final long serialVersionUID = 1L;

    public RenderException(String message) {
        super(message);
    }

    public RenderException(String message, Throwable cause) {
        super(message, cause);
    }
}
