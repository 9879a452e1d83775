// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/**
 * The scene cannot be rendered as written (parse error, missing include, unknown field). Rendering it
 * elsewhere gives the same error, so a job fails at once instead of retrying the tile on other workers.
 */
public class SceneException extends RenderException {
    private static final long serialVersionUID = 1L;

    public SceneException(String message) {
        super(message);
    }

    public SceneException(String message, Throwable cause) {
        super(message, cause);
    }
}
