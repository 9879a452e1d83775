// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

/** Window &gt; Progress (Ctrl+Alt+P). */
public class ShowProgressHandler {
    @Execute
    public void execute(EPartService parts) {
        parts.showPart(ProgressPart.ID, EPartService.PartState.ACTIVATE);
    }
}
