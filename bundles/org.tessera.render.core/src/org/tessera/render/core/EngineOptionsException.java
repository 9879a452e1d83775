// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/**
 * The user's own options for an engine ({@code --povray "+Q9 +A0.1"}, an INI file) cannot be used: an
 * option would break tiling or the node (output file, render region, display, shell commands), or the
 * engine takes no options. The message names the option and says what to do instead. Like a
 * {@link SceneException}, it fails the job at once: every worker would refuse the same options.
 */
public class EngineOptionsException extends SceneException {
    private static final long serialVersionUID = 1L;

    public EngineOptionsException(String message) {
        super(message);
    }
}
