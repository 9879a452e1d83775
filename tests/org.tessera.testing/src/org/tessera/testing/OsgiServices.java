// SPDX-License-Identifier: EPL-2.0
package org.tessera.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/** Gets real services from the running OSGi framework, waiting for DS to register them. */
public final class OsgiServices {
    private OsgiServices() {
    }

    public static BundleContext context() {
        org.osgi.framework.Bundle bundle = FrameworkUtil.getBundle(OsgiServices.class);
        assertNotNull(bundle, "the test bundle must run inside an OSGi framework");
        if (bundle.getBundleContext() == null) {
            try {
                bundle.start(org.osgi.framework.Bundle.START_TRANSIENT);
            } catch (org.osgi.framework.BundleException e) {
                throw new AssertionError("cannot start " + bundle.getSymbolicName(), e);
            }
        }
        BundleContext context = bundle.getBundleContext();
        assertNotNull(context, "the test bundle must run inside an OSGi framework");
        return context;
    }

    public static <T> T get(Class<T> type) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(10_000);
            assertNotNull(service, "no " + type.getName() + " service registered within 10 s (did DS run?)");
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getName(), e);
        }
    }
}
