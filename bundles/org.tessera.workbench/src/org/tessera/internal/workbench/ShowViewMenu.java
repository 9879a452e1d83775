// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import java.util.Comparator;
import java.util.List;

import org.eclipse.e4.ui.di.AboutToShow;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.descriptor.basic.MPartDescriptor;
import org.eclipse.e4.ui.model.application.ui.menu.MDirectMenuItem;
import org.eclipse.e4.ui.model.application.ui.menu.MMenuElement;
import org.eclipse.e4.ui.workbench.modeling.EModelService;

/**
 * Window &gt; Show View: one item per part descriptor of the application model, so the views that
 * area bundles contribute through fragments appear here by themselves.
 */
public class ShowViewMenu {
    /** Persisted-state key carrying the descriptor id of an item. */
    static final String PART_ID = "org.tessera.workbench.showView.partId";

    @AboutToShow
    public void aboutToShow(List<MMenuElement> items, MApplication application, EModelService models) {
        items.addAll(createItems(application, models));
    }

    static List<MMenuElement> createItems(MApplication application, EModelService models) {
        return application.getDescriptors().stream()
                .sorted(Comparator.comparing(MPartDescriptor::getLabel, String.CASE_INSENSITIVE_ORDER))
                .map(d -> {
                    MDirectMenuItem item = models.createModelElement(MDirectMenuItem.class);
                    item.setElementId("org.tessera.workbench.showView." + d.getElementId());
                    item.setLabel(d.getLabel());
                    item.setIconURI(d.getIconURI());
                    item.setTooltip(d.getTooltip());
                    item.getPersistedState().put(PART_ID, d.getElementId());
                    item.setContributionURI("bundleclass://org.tessera.workbench/" + ShowViewHandler.class.getName());
                    return (MMenuElement) item;
                }).toList();
    }
}
