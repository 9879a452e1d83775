// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javax.crypto.spec.PBEKeySpec;

import org.eclipse.equinox.security.storage.ISecurePreferences;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;
import org.eclipse.equinox.security.storage.StorageException;
import org.eclipse.equinox.security.storage.provider.IProviderHints;

/**
 * Envoy credentials kept in Eclipse secure storage, one entry per service URL, the access key
 * encrypted. Use {@link #defaultStore()} in the workbench and {@link #open(Path, char[])} for a
 * storage file of one's own (headless runs, tests). Keys are never logged or shown.
 */
public final class EnvoyCredentialStore {
    private static final String ROOT = "org.tessera.cloud.core/envoy";

    /** An e-mail address and its access key; {@link #toString()} hides the key. */
    public record Credentials(String email, String accessKey) {
        @Override
        public String toString() {
            return "Credentials[" + email + ", access key hidden]";
        }
    }

    private final ISecurePreferences root;

    private EnvoyCredentialStore(ISecurePreferences root) {
        this.root = root;
    }

    /** The user's default Eclipse secure storage (may ask for a master password in the workbench). */
    public static EnvoyCredentialStore defaultStore() {
        ISecurePreferences prefs = SecurePreferencesFactory.getDefault();
        if (prefs == null) {
            throw new IllegalStateException("Eclipse secure storage is not available");
        }
        return new EnvoyCredentialStore(prefs);
    }

    /**
     * A secure storage file of its own, encrypted with {@code password}, never prompting.
     */
    public static EnvoyCredentialStore open(Path file, char[] password) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Map<Object, Object> options = new HashMap<>();
        options.put(IProviderHints.DEFAULT_PASSWORD, new PBEKeySpec(password));
        options.put(IProviderHints.PROMPT_USER, Boolean.FALSE);
        ISecurePreferences prefs = SecurePreferencesFactory.open(file.toUri().toURL(), options);
        if (prefs == null) {
            throw new IOException("cannot open secure storage " + file);
        }
        return new EnvoyCredentialStore(prefs);
    }

    private ISecurePreferences node(URI service) {
        return root.node(ROOT).node(URLEncoder.encode(service.toString(), StandardCharsets.UTF_8));
    }

    /** Saves (replaces) the credentials for a service. */
    public void save(URI service, Credentials credentials) throws IOException {
        ISecurePreferences node = node(service);
        try {
            node.put("email", credentials.email(), false);
            node.put("accessKey", credentials.accessKey(), true);
        } catch (StorageException e) {
            throw new IOException("cannot store Envoy credentials in secure storage: " + e.getMessage(), e);
        }
        node.flush();
    }

    /** The saved credentials for a service, if any. */
    public Optional<Credentials> load(URI service) throws IOException {
        if (!root.nodeExists(ROOT + "/" + URLEncoder.encode(service.toString(), StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        ISecurePreferences node = node(service);
        try {
            String email = node.get("email", null);
            String key = node.get("accessKey", null);
            return email == null || key == null ? Optional.empty() : Optional.of(new Credentials(email, key));
        } catch (StorageException e) {
            throw new IOException("cannot read Envoy credentials from secure storage: " + e.getMessage(), e);
        }
    }

    /** Forgets the credentials for a service. */
    public void remove(URI service) throws IOException {
        node(service).removeNode();
        root.flush();
    }
}
