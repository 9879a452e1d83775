// SPDX-License-Identifier: EPL-2.0
package org.tessera.core;

import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * One secret handed to this process by its user (a verb's {@code --token} or {@code --token-file}, a dialog),
 * offered to the process's components as a {@link Credentials} service while it is registered. The value
 * stays in memory: a configured server names the secret in its configuration (never the value), and
 * {@link Credentials#lookup} finds it here. Ranked above secure storage and the environment.
 *
 * @since 0.3
 */
public final class ProvidedSecret implements Credentials, AutoCloseable {
    private final String name;
    private final String value;
    private ServiceRegistration<Credentials> registration;

    private ProvidedSecret(String name, String value) {
        this.name = name;
        this.value = value;
    }

    /** Registers {@code value} under {@code name} until {@link #close()}. */
    public static ProvidedSecret register(BundleContext context, String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the secret " + name + " must not be blank");
        }
        ProvidedSecret secret = new ProvidedSecret(name, value.strip());
        secret.registration = context.registerService(Credentials.class, secret, FrameworkUtil.asDictionary(
                Map.of(Constants.SERVICE_RANKING, Integer.MAX_VALUE, "tessera.credentials", "provided")));
        return secret;
    }

    @Override
    public Optional<String> secret(String wanted) {
        return name.equals(wanted) ? Optional.of(value) : Optional.empty();
    }

    /** The name components ask for. */
    public String name() {
        return name;
    }

    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
    }

    @Override
    public String toString() {
        return "ProvidedSecret[" + name + "]"; // never the value
    }
}
