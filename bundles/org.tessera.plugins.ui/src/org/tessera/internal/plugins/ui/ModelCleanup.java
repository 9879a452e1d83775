// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.plugins.ui;

import java.util.List;
import java.util.Set;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

/**
 * Takes the views of uninstalled bundles out of the running workbench: their open parts are closed and
 * their part descriptors removed (the workbench merges a bundle's model fragment when the bundle starts,
 * but leaves its descriptors behind when the bundle goes, so Window &gt; Show View would still offer a
 * view whose class is gone).
 */
final class ModelCleanup {
    private ModelCleanup() {
    }

    /**
     * @param bundles symbolic names of the bundles removed
     * @return how many parts and descriptors were removed
     */
    static int removeContributionsOf(Set<String> bundles, MApplication app, EModelService models) {
        if (bundles.isEmpty()) {
            return 0;
        }
        int removed = 0;
        List<MPart> parts = models.findElements(app, null, MPart.class, null);
        for (MPart part : parts) {
            if (contributedBy(part.getContributionURI(), bundles)) {
                MWindow window = models.getTopLevelWindowFor(part);
                EPartService service = window == null ? null : window.getContext().get(EPartService.class);
                if (service != null) {
                    service.hidePart(part, true);
                    removed++;
                }
            }
        }
        int before = app.getDescriptors().size();
        app.getDescriptors().removeIf(d -> contributedBy(d.getContributionURI(), bundles));
        return removed + before - app.getDescriptors().size();
    }

    /** Whether a {@code bundleclass://<bundle>/<class>} URI names one of the bundles. */
    static boolean contributedBy(String uri, Set<String> bundles) {
        String prefix = "bundleclass://";
        if (uri == null || !uri.startsWith(prefix)) {
            return false;
        }
        int slash = uri.indexOf('/', prefix.length());
        return slash > 0 && bundles.contains(uri.substring(prefix.length(), slash));
    }
}
