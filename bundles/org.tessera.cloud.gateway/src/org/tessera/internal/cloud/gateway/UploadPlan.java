// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import static org.tessera.internal.cloud.gateway.GatewayHttp.string;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A validated {@code upload} list ({@code [{localRoot, remoteRoot, files}]}): every file exists under its
 * absolute local root, every remote name is safe and all lie in one project. Built by {@link #of}, which
 * checks every entry and refuses the whole list when one is bad, so nothing is stored from a bad request.
 *
 * @param project the project folder the files go to
 * @param files   the files, read from their local root, stored under the project's folder
 */
record UploadPlan(String project, List<UploadPlan.PlannedFile> files) {

    /** One file to copy: its source, its name in the project store, its size in bytes. */
    record PlannedFile(Path source, String remoteName, long size) {
    }

    /**
     * Checks every upload entry.
     *
     * @param expectedProject the project all entries must lie in, or null for the first entry's
     * @throws Refusal (400) listing every bad entry
     */
    static UploadPlan of(JsonElement entries, String expectedProject) throws Refusal, IOException {
        if (entries == null || !entries.isJsonArray()) {
            throw new Refusal(400, "\"upload\" must be a list of {localRoot, remoteRoot, files}");
        }
        List<String> errors = new ArrayList<>();
        List<PlannedFile> files = new ArrayList<>();
        String project = expectedProject;
        for (JsonElement e : entries.getAsJsonArray()) {
            if (!e.isJsonObject()) {
                errors.add("upload entry is not an object: " + e);
                continue;
            }
            JsonObject o = e.getAsJsonObject();
            String localRoot = string(o, "localRoot");
            String remoteRoot = string(o, "remoteRoot");
            if (localRoot == null || !Path.of(localRoot).isAbsolute() || !Files.isDirectory(Path.of(localRoot))) {
                errors.add("localRoot must be an existing absolute folder: " + localRoot);
                continue;
            }
            String remote;
            try {
                remote = remoteRoot == null ? null : SafePaths.relativeName(remoteRoot.replaceAll("^/+", ""));
            } catch (IllegalArgumentException ex) {
                errors.add("remoteRoot: " + ex.getMessage());
                continue;
            }
            if (remote == null) {
                errors.add("remoteRoot is missing");
                continue;
            }
            String first = remote.split("/")[0];
            if (project == null) {
                project = first;
            } else if (!project.equals(first)) {
                errors.add("remoteRoot " + remoteRoot + " is not under /" + project);
                continue;
            }
            JsonElement names = o.get("files");
            if (names == null || !names.isJsonArray()) {
                errors.add("files must be a list of names relative to localRoot");
                continue;
            }
            for (JsonElement n : names.getAsJsonArray()) {
                try {
                    String name = n.getAsString();
                    Path source = SafePaths.existingFileUnder(Path.of(localRoot), name);
                    files.add(new PlannedFile(source, remote + "/" + name, Files.size(source)));
                } catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException ex) {
                    errors.add(ex.getMessage());
                }
            }
        }
        if (project == null) {
            errors.add("nothing to upload");
        }
        if (!errors.isEmpty()) {
            throw new Refusal(400, errors);
        }
        return new UploadPlan(project, files);
    }
}
