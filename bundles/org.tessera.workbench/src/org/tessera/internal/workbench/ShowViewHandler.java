// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.menu.MItem;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

/** Runs a Window &gt; Show View item: opens (or brings to front) the part of its descriptor. */
public class ShowViewHandler {
    @Execute
    public void execute(MItem item, EPartService parts) {
        String id = item.getPersistedState().get(ShowViewMenu.PART_ID);
        if (id != null) {
            parts.showPart(id, EPartService.PartState.ACTIVATE);
        }
    }
}
