// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import javax.crypto.spec.PBEKeySpec;

import org.eclipse.equinox.security.storage.ISecurePreferences;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;
import org.eclipse.equinox.security.storage.StorageException;
import org.eclipse.equinox.security.storage.provider.IProviderHints;

/**
 * The bearer token render nodes require off loopback, kept encrypted in Eclipse secure storage and
 * never shown. The storage file is {@code ~/.tessera/secure/storage} (system property
 * {@code tessera.secure.folder} moves the folder); it is encrypted with a random key kept beside it
 * in a file only the user can read, so the workbench never prompts for a master password (there is no
 * OS keyring provider on Maven Central).
 */
public final class NodeTokenStore {
    private static final String NODE = "org.tessera/node";
    private static final String KEY = "token";

    private final ISecurePreferences root;

    private NodeTokenStore(ISecurePreferences root) {
        this.root = root;
    }

    /** The user's store (created on first use). */
    public static NodeTokenStore open() throws IOException {
        return open(folder());
    }

    /** The folder of the user's secure storage files and their key. */
    public static Path folder() {
        String prop = System.getProperty("tessera.secure.folder");
        return prop != null && !prop.isBlank() ? Path.of(prop) : Path.of(System.getProperty("user.home"), ".tessera", "secure");
    }

    /**
     * The key secure storage files in {@code folder} are encrypted with (created on first use); other
     * stores the workbench keeps there (e.g. cloud credentials) use it too, so nothing prompts.
     */
    public static char[] storageKey(Path folder) throws IOException {
        Files.createDirectories(folder);
        return key(folder.resolve("key"));
    }

    /** A store in {@code folder} (created on first use). */
    public static NodeTokenStore open(Path folder) throws IOException {
        Files.createDirectories(folder);
        Map<Object, Object> options = new HashMap<>();
        options.put(IProviderHints.DEFAULT_PASSWORD, new PBEKeySpec(storageKey(folder)));
        options.put(IProviderHints.PROMPT_USER, Boolean.FALSE);
        ISecurePreferences prefs = SecurePreferencesFactory.open(folder.resolve("storage").toUri().toURL(), options);
        if (prefs == null) {
            throw new IOException("cannot open secure storage in " + folder);
        }
        return new NodeTokenStore(prefs);
    }

    private static char[] key(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            Path tmp = Files.createTempFile(file.getParent(), "key", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's permissions are all we have
            }
            Files.writeString(tmp, HexFormat.of().formatHex(b), StandardCharsets.US_ASCII);
            Files.move(tmp, file);
        }
        return Files.readString(file, StandardCharsets.US_ASCII).trim().toCharArray();
    }

    /** Whether a token is stored. */
    public boolean hasToken() {
        return token().isPresent();
    }

    /** The token, for code that sends it to a node; never display it. */
    public Optional<String> token() {
        try {
            String t = root.node(NODE).get(KEY, null);
            return t == null || t.isEmpty() ? Optional.empty() : Optional.of(t);
        } catch (StorageException e) {
            return Optional.empty();
        }
    }

    /** Stores (replaces) the token, encrypted; a blank token removes it. */
    public void setToken(String token) throws IOException {
        ISecurePreferences node = root.node(NODE);
        try {
            if (token == null || token.isBlank()) {
                node.remove(KEY);
            } else {
                node.put(KEY, token.strip(), true);
            }
        } catch (StorageException e) {
            throw new IOException("cannot store the node token in secure storage: " + e.getMessage(), e);
        }
        node.flush();
    }

    /** Whether the stored token is encrypted (it always should be). */
    public boolean isEncrypted() {
        try {
            return !hasToken() || root.node(NODE).isEncrypted(KEY);
        } catch (StorageException e) {
            return false;
        }
    }
}
