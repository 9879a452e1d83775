// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.util.Hashtable;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.tessera.core.Credentials;

/**
 * A secret given on a verb's command line ({@code --token}), offered to this process's components as a
 * {@link Credentials} service that knows that one name, for as long as the verb runs: the configuration
 * names the secret, never holds it.
 */
final class ProvidedSecret implements AutoCloseable {
    private final ServiceRegistration<Credentials> registration;

    private ProvidedSecret(ServiceRegistration<Credentials> registration) {
        this.registration = registration;
    }

    static ProvidedSecret register(BundleContext context, String name, String value) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, Integer.MAX_VALUE);
        return new ProvidedSecret(context.registerService(Credentials.class,
                n -> name.equals(n) ? Optional.of(value) : Optional.empty(), props));
    }

    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
    }
}
