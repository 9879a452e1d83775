// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import java.util.List;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.swt.widgets.Shell;

import jakarta.inject.Named;

/** Window &gt; Preferences (Ctrl+,): node token, tracker, gateway, rendering defaults. */
public class PreferencesHandler {
    /** Engines offered when no render engine service says otherwise. */
    public static final List<String> KNOWN_ENGINES = List.of("raytracer", "povray", "checker");

    @Execute
    public void execute(@Named(IServiceConstants.ACTIVE_SHELL) Shell shell) {
        TesseraPreferencePages.create(shell, TesseraPreferencePages.store(), KNOWN_ENGINES).open();
    }
}
