// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/**
 * A stereo render was asked of an engine without {@link EngineCapability#STEREO} (POV-Ray: its camera is
 * in the scene file), or a stereo request was started as one job instead of one per {@link RenderRequest#eyes() eye}.
 */
public class StereoUnsupportedException extends RenderException {
    private static final long serialVersionUID = 1L;

    public StereoUnsupportedException(String message) {
        super(message);
    }
}
