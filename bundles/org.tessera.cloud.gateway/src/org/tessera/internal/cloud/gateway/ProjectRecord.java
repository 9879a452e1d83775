// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** What the gateway knows of one project: its owner, file transfers, jobs and overall state. */
final class ProjectRecord {
    final String name;
    final String owner;
    final Path root;
    final Map<String, FileTransfer> files = new ConcurrentHashMap<>();
    final List<JobRun> jobs = new CopyOnWriteArrayList<>();
    volatile String state = "Created";
    volatile String message = "";
    /** Budget alerts raised while the project's jobs ran (designed: {@code Alerts} in the status). */
    final List<String> alerts = new CopyOnWriteArrayList<>();
    /** The submission's name ({@code params.submission_name}, else {@code project_request.name}). */
    volatile String submission = "";
    /** Results that could not be copied into their watch folders, with the reason. */
    final List<String> deliveryFailures = new CopyOnWriteArrayList<>();
    /** The watch folders of the latest submission, kept for a resume. */
    volatile Map<Pattern, Path> watch = Map.of();
    /** Completes when the latest batch of transfers has ended. */
    volatile java.util.concurrent.CompletableFuture<Void> uploads = java.util.concurrent.CompletableFuture.completedFuture(null);

    ProjectRecord(String name, String owner, Path root) {
        this.name = name;
        this.owner = owner;
        this.root = root;
    }

    long bytesDone() {
        return files.values().stream().mapToLong(f -> f.bytesDone).sum();
    }

    long bytesTotal() {
        return files.values().stream().mapToLong(f -> f.bytesTotal).sum();
    }

    boolean uploadsDone() {
        return files.values().stream().allMatch(f -> f.state.equals("Completed"));
    }

    boolean uploadFailed() {
        return files.values().stream().anyMatch(f -> f.error != null);
    }

    /** The body of {@code GET /project-status/{name}}. */
    JsonObject statusJson() {
        JsonObject o = new JsonObject();
        o.addProperty("Code", 200);
        o.addProperty("State", state);
        o.addProperty("Message", message);
        o.addProperty("Submission", submission);
        o.addProperty("BytesDone", bytesDone());
        o.addProperty("BytesTotal", bytesTotal());
        o.addProperty("Speed", files.values().stream().filter(f -> f.state.equals("Uploading")).mapToDouble(f -> f.speed).sum());
        JsonObject details = new JsonObject();
        files.values().stream().sorted((a, b) -> a.remoteName.compareTo(b.remoteName)).forEach(f -> {
            JsonObject d = new JsonObject();
            d.addProperty("Name", f.remoteName);
            d.addProperty("State", f.state);
            d.addProperty("BytesDone", f.bytesDone);
            d.addProperty("BytesTotal", f.bytesTotal);
            d.addProperty("Speed", f.speed);
            if (f.error != null) {
                d.addProperty("Error", f.error);
            }
            details.add(f.remoteName, d);
        });
        o.add("Details", details);
        JsonArray jobArray = new JsonArray();
        for (JobRun j : jobs) {
            jobArray.add(j.statusJson());
        }
        o.add("Jobs", jobArray);
        JsonArray alertArray = new JsonArray();
        alerts.forEach(alertArray::add);
        o.add("Alerts", alertArray);
        JsonArray failures = new JsonArray();
        deliveryFailures.forEach(failures::add);
        o.add("DeliveryFailures", failures);
        return o;
    }
}
