// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/** Life of a render job; the last three are final. */
public enum JobState {
    RUNNING, FINISHED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this != RUNNING;
    }
}
