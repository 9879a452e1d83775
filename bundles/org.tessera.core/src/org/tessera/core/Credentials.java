// SPDX-License-Identifier: EPL-2.0
package org.tessera.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Where secrets (the master's node token, the gateway token, the Envoy access key) come from. Secrets never
 * pass through system properties, logs or child processes' command lines: the workbench registers a
 * Credentials service backed by Eclipse secure storage (ranked above the default); a headless product
 * reads the environment ({@code TESSERA_CLUSTER_TOKEN} for {@link #CLUSTER_TOKEN}) or a file that only its
 * owner may read ({@code ~/.tessera/secrets/cluster.token}, mode 0600; the folder may be moved with
 * {@code TESSERA_SECRETS}). See docs/node-protocol.md.
 *
 * @since 0.2
 */
@ConsumerType
public interface Credentials {
    /** The token a master sends to nodes ({@code Authorization: Bearer}). */
    String CLUSTER_TOKEN = "cluster.token";

    /**
     * The secret of that name, if this source holds it.
     *
     * @throws IllegalStateException when the secret exists but cannot be used (a file others may read)
     */
    Optional<String> secret(String name);

    /**
     * The secret from the highest-ranked Credentials service the caller's bundle sees; outside OSGi, or
     * when no service has it, from the environment or the owner-only file ({@link #fromEnvironment}).
     */
    static Optional<String> lookup(Class<?> caller, String name) {
        Bundle bundle = FrameworkUtil.getBundle(caller);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        java.util.List<ServiceReference<Credentials>> refs = new java.util.ArrayList<>();
        if (context != null) {
            try {
                refs.addAll(context.getServiceReferences(Credentials.class, null));
            } catch (InvalidSyntaxException | IllegalStateException bundleStopping) {
                // no services to ask: the environment answers
            }
        }
        // highest service.ranking first (then lowest service.id), the order getServiceReference uses
        refs.sort(java.util.Collections.reverseOrder());
        for (ServiceReference<Credentials> ref : refs) {
            Credentials c = context.getService(ref);
            if (c == null) {
                continue;
            }
            try {
                Optional<String> s = c.secret(name);
                if (s.isPresent()) {
                    return s;
                }
            } finally {
                context.ungetService(ref);
            }
        }
        return fromEnvironment(name);
    }

    /**
     * The headless sources: the environment variable {@code TESSERA_<NAME>} ({@code cluster.token} →
     * {@code TESSERA_CLUSTER_TOKEN}), else the file {@code <name>} in {@code $TESSERA_SECRETS} or
     * {@code ~/.tessera/secrets}, which must be readable by its owner alone. Blank values count as absent.
     *
     * @throws IllegalStateException when the file may be read by group or others, or cannot be read
     */
    static Optional<String> fromEnvironment(String name) {
        String variable = "TESSERA_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        String value = System.getenv(variable);
        if (value != null && !value.isBlank()) {
            return Optional.of(value.strip());
        }
        String folder = System.getenv("TESSERA_SECRETS");
        Path file = (folder != null && !folder.isBlank() ? Path.of(folder)
                : Path.of(System.getProperty("user.home"), ".tessera", "secrets")).resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String s = readOwnerOnly(file);
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /**
     * The text (stripped) of a secrets file that group and others may neither read nor write; on file
     * systems without POSIX permissions the file is read as it is.
     *
     * @throws IllegalStateException naming the file and the {@code chmod} to run when others may read or
     *                               write it, or saying why it cannot be read
     */
    static String readOwnerOnly(Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
                if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
                        || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                    throw new IllegalStateException("the secrets file " + file + " is readable by others ("
                            + java.nio.file.attribute.PosixFilePermissions.toString(p) + "); run: chmod 600 " + file);
                }
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the secrets file " + file + ": " + e.getMessage(), e);
        }
    }
}
