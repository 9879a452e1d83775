// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;

/**
 * The gateway's users and their credits, in {@code users.json} under the data folder. Access keys
 * are stored only as salted SHA-256 hashes. Several processes may share the file ({@code tessera
 * gateway user add} while a gateway serves): it is rewritten atomically and re-read when it changed.
 */
public final class UserLedger {
    /** One account. Credits are charged per node-second of rendering. */
    public static final class User {
        String email;
        String salt;
        String keyHash;
        double creditsAvailable;
        double creditsConsumed;
        String created;
        String plan = "Standard";
        int maxThroughput = 8;
        int jobThroughputLimit = 4;
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private Map<String, User> users = new LinkedHashMap<>();
    private FileTime loaded;

    public UserLedger(Path dataFolder) throws IOException {
        Files.createDirectories(dataFolder);
        this.file = dataFolder.resolve("users.json");
        reload();
    }

    private synchronized void reload() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        FileTime t = Files.getLastModifiedTime(file);
        if (t.equals(loaded)) {
            return;
        }
        Map<String, User> read = GSON.fromJson(Files.readString(file), new TypeToken<LinkedHashMap<String, User>>() {
        }.getType());
        users = read == null ? new LinkedHashMap<>() : read;
        loaded = t;
    }

    private void save() throws IOException {
        // the key hashes are secrets too: 0600, written through a 0600 temporary file
        SecretFiles.write(file, GSON.toJson(users));
        loaded = Files.getLastModifiedTime(file);
    }

    /**
     * Adds (or re-keys) a user with {@code credits} and returns the new access key, shown once.
     */
    public synchronized String addUser(String email, double credits) throws IOException {
        reload();
        if (email == null || !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw new IllegalArgumentException("not an e-mail address: " + email);
        }
        byte[] keyBytes = new byte[24];
        RANDOM.nextBytes(keyBytes);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(keyBytes);
        User u = users.getOrDefault(email, new User());
        u.email = email;
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        u.salt = HexFormat.of().formatHex(salt);
        u.keyHash = hash(u.salt, key);
        u.creditsAvailable = credits;
        if (u.created == null) {
            u.created = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        }
        users.put(email, u);
        save();
        return key;
    }

    /** How many users the gateway has. */
    public synchronized int count() throws IOException {
        reload();
        return users.size();
    }

    /** Whether the key belongs to the user (constant-time compare). */
    public synchronized boolean authenticate(String email, String key) throws IOException {
        reload();
        User u = email == null ? null : users.get(email);
        if (u == null || key == null) {
            return false;
        }
        return MessageDigest.isEqual(u.keyHash.getBytes(StandardCharsets.US_ASCII),
                hash(u.salt, key).getBytes(StandardCharsets.US_ASCII));
    }

    /** A snapshot of the user's account. */
    public synchronized Optional<User> user(String email) throws IOException {
        reload();
        User u = users.get(email);
        if (u == null) {
            return Optional.empty();
        }
        User copy = GSON.fromJson(GSON.toJson(u), User.class);
        return Optional.of(copy);
    }

    /** Moves {@code credits} from available to consumed; returns the new available balance. */
    public synchronized double charge(String email, double credits) throws IOException {
        reload();
        User u = users.get(email);
        if (u == null) {
            return 0;
        }
        u.creditsAvailable -= credits;
        u.creditsConsumed += credits;
        save();
        return u.creditsAvailable;
    }

    private static String hash(String salt, String key) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(salt.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(md.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
