// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench;

/**
 * Element ids (and tags) of the part stacks of the Render Farm perspective. A model fragment adds a
 * part to one with {@code parentElementId}; a part descriptor names one as its {@code category}, so
 * Window &gt; Show View reopens a closed part where it was.
 */
public final class PartStacks {
    /** Upper left: cluster and configuration. */
    public static final String LEFT = "org.tessera.workbench.partstack.left";
    /** Lower left: progress and small status views. */
    public static final String BOTTOM_LEFT = "org.tessera.workbench.partstack.bottomleft";
    /** The big area: render image, charts. */
    public static final String MAIN = "org.tessera.workbench.partstack.main";
    /** Below the main area: tables such as the tracker's frames. */
    public static final String BOTTOM = "org.tessera.workbench.partstack.bottom";

    private PartStacks() {
    }
}
