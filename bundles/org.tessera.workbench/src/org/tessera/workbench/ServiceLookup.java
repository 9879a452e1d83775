// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/**
 * Gets an OSGi service for a view without e4 injection. Declarative Services activates a delayed
 * component on the thread that first gets its service, so a view that calls this from a background
 * job (rather than injecting the service into its part) keeps costly activations — the tracker opening
 * its database — off the UI thread and out of the workbench's start.
 */
public final class ServiceLookup {
    private ServiceLookup() {
    }

    /**
     * The highest-ranked {@code type} service, got through the bundle of {@code owner}; null when none
     * is registered or that bundle has no context (no framework).
     */
    public static <T> T get(Class<?> owner, Class<T> type) {
        Bundle bundle = FrameworkUtil.getBundle(owner);
        BundleContext ctx = bundle == null ? null : bundle.getBundleContext();
        if (ctx == null) {
            return null;
        }
        ServiceReference<T> ref = ctx.getServiceReference(type);
        return ref == null ? null : ctx.getService(ref);
    }
}
