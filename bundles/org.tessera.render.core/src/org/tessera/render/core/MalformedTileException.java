// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/** A worker answered a tile with pixels of the wrong size or for another tile; the tile is re-rendered elsewhere. */
public class MalformedTileException extends RenderException {
    private static final long serialVersionUID = 1L;

    public MalformedTileException(String message) {
        super(message);
    }
}
