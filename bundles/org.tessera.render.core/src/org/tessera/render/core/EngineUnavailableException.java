// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/** The engine cannot run here (its program is not installed, its native library is missing...). */
public class EngineUnavailableException extends RenderException {
    private static final long serialVersionUID = 1L;

    public EngineUnavailableException(String message) {
        super(message);
    }
}
