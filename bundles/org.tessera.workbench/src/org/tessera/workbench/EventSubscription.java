// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * A view's subscription to EventAdmin topics (e.g. {@code org/tessera/tracker/*}), registered in the
 * view's bundle and removed with {@link #close()} when the view goes. The handler runs on EventAdmin's
 * thread: hop to the UI thread ({@link BackgroundWork#inUi}) before touching widgets.
 */
public final class EventSubscription implements AutoCloseable {
    private final ServiceRegistration<EventHandler> registration;

    private EventSubscription(ServiceRegistration<EventHandler> registration) {
        this.registration = registration;
    }

    /**
     * Subscribes {@code handler} to {@code topics} in the bundle of {@code owner}; returns an inert
     * subscription when that bundle is not active (no framework, e.g. a plain unit test).
     */
    public static EventSubscription subscribe(Class<?> owner, Consumer<Event> handler, String... topics) {
        var bundle = FrameworkUtil.getBundle(owner);
        BundleContext ctx = bundle == null ? null : bundle.getBundleContext();
        if (ctx == null) {
            return new EventSubscription(null);
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, topics);
        return new EventSubscription(ctx.registerService(EventHandler.class, handler::accept, props));
    }

    @Override
    public void close() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with its bundle
            }
        }
    }
}
