// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.FrameworkUtil;

import jakarta.inject.Named;

/** Help &gt; About Tessera (F1). */
public class AboutHandler {
    @Execute
    public void execute(@Named(IServiceConstants.ACTIVE_SHELL) Shell shell) {
        MessageDialog.openInformation(shell, "About Tessera", aboutText());
    }

    static String aboutText() {
        return "Tessera " + FrameworkUtil.getBundle(AboutHandler.class).getVersion() + "\n\n"
                + "A render farm workbench: clustering, render tracking, cloud submission,\n"
                + "stats decoding and a tiling renderer, on Eclipse RCP and OSGi.\n\n"
                + "Java " + Runtime.version() + " on " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + "\n\nLicensed under the Eclipse Public License 2.0.";
    }
}
