// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/** Which eye of a stereo camera to render; {@link #CENTER} is the mono camera. */
public enum StereoEye {
    LEFT, CENTER, RIGHT
}
