// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;

/**
 * Who owns which project name, in {@code owners.json} under the data folder (0600, rewritten
 * atomically on every new claim): ownership survives a gateway restart, so no other user can take
 * over a name (and its files) afterwards. Only writes claim a name; reads never do.
 */
final class ProjectOwners {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final Path file;
    private final Map<String, String> owners;

    ProjectOwners(Path data) throws IOException {
        this.file = data.resolve("owners.json");
        Map<String, String> read = Files.exists(file) ? GSON.fromJson(Files.readString(file),
                new TypeToken<LinkedHashMap<String, String>>() {
                }.getType()) : null;
        this.owners = read == null ? new LinkedHashMap<>() : read;
    }

    /** The owner of {@code project}, or null when nobody claimed it. */
    synchronized String owner(String project) {
        return owners.get(project);
    }

    /** Claims {@code project} for {@code email} unless taken; returns the owner (possibly another user). */
    synchronized String claim(String project, String email) throws IOException {
        String owner = owners.get(project);
        if (owner != null) {
            return owner;
        }
        owners.put(project, email);
        try {
            SecretFiles.write(file, GSON.toJson(owners));
        } catch (IOException e) {
            owners.remove(project);
            throw e;
        }
        return email;
    }
}
