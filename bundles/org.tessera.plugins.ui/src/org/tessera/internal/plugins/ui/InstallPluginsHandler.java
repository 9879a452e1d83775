// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.plugins.ui;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.swt.widgets.Shell;

import jakarta.inject.Named;

/**
 * Help &gt; Install Plugins...: opens the plugins dialog (one at a time; a second call brings the open
 * one to the front). Returns the dialog, so a caller of the command (the self-test) can drive it.
 */
public class InstallPluginsHandler {
    private static PluginsDialog open;

    @Execute
    public PluginsDialog execute(@Optional @Named(IServiceConstants.ACTIVE_SHELL) Shell shell, IWorkbench workbench,
            MApplication app, EModelService models) {
        if (open != null && open.getShell() != null && !open.getShell().isDisposed()) {
            open.getShell().setActive();
            return open;
        }
        open = new PluginsDialog(shell, workbench::restart,
                removedBundles -> ModelCleanup.removeContributionsOf(removedBundles, app, models));
        open.open();
        return open;
    }
}
