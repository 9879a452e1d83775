// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import static org.tessera.internal.cloud.gateway.GatewayHttp.answer;
import static org.tessera.internal.cloud.gateway.GatewayHttp.method;
import static org.tessera.internal.cloud.gateway.GatewayHttp.pathName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.tessera.http.HttpExchange;

/**
 * The farm's project store ({@code <data>/projects/<name>/...}, part files under {@code <data>/staging}):
 * who owns which project name, each project's record (made again from the store after a restart), the
 * file copies of {@code /upload} queued per project, and the read routes {@code /projects} and
 * {@code /project-status/<name>}.
 */
final class ProjectStore implements AutoCloseable {
    private final Path data;
    private final ProjectOwners owners;
    private final GatewaySessions sessions;
    private final Map<String, ProjectRecord> projects = new ConcurrentHashMap<>();
    private final ExecutorService transfers = Executors.newFixedThreadPool(2, r -> EnvoyGateway.daemon(r, "envoy-transfer"));

    ProjectStore(Path data, GatewaySessions sessions) throws IOException {
        this.data = data;
        this.sessions = sessions;
        this.owners = new ProjectOwners(data);
        Files.createDirectories(projects());
        Files.createDirectories(staging());
    }

    /** The folder holding one folder per project. */
    Path projects() {
        return data.resolve("projects");
    }

    /** The folder holding part files of transfers under way. */
    Path staging() {
        return data.resolve("staging");
    }

    /** The user owning a project name, or null when the name is free. */
    String owner(String project) {
        return owners.owner(project);
    }

    /** The project's record for a write (upload, submit, transfer): claims a free name for {@code email}. */
    ProjectRecord record(String project, String email) throws Refusal, IOException {
        String owner = owners.claim(project, email);
        if (!owner.equals(email)) {
            throw new Refusal(403, "project " + project + " belongs to another user");
        }
        return known(project, owner);
    }

    /** The project's record for a read: never claims a name; another user's project is unknown (404). */
    ProjectRecord lookup(String project, String email) throws Refusal {
        String owner = owners.owner(project);
        if (owner == null || !owner.equals(email)) {
            throw new Refusal(404, "no project named '" + project + "'");
        }
        return known(project, owner);
    }

    /** The record, made again after a restart from the stored owner and the files in the store. */
    private ProjectRecord known(String project, String owner) {
        return projects.computeIfAbsent(project, p -> {
            ProjectRecord r = new ProjectRecord(p, owner, projects().resolve(p));
            if (Files.isDirectory(r.root)) {
                r.state = "Uploaded";
                r.message = "Files stored before the gateway restarted.";
            }
            return r;
        });
    }

    /**
     * Queues the planned files behind the project's earlier transfers (the public client uploads, then
     * submits with the same files at once: two copies into one part file must never run together);
     * the future completes when all are stored (or one failed).
     */
    CompletableFuture<Void> startTransfers(ProjectRecord record, UploadPlan plan) {
        synchronized (record) {
            CompletableFuture<Void> previous = record.uploads.exceptionally(e -> null);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (UploadPlan.PlannedFile f : plan.files()) {
                Path target = SafePaths.targetUnder(projects(), f.remoteName());
                Path part = SafePaths.targetUnder(staging(), f.remoteName() + ".part");
                FileTransfer t = new FileTransfer("/" + f.remoteName(), target, part, f.size());
                record.files.put(t.remoteName, t);
                all.add(previous.thenRunAsync(() -> {
                    try {
                        t.receiveFrom(f.source());
                    } catch (IOException | RuntimeException e) {
                        t.state = "Failed";
                        t.error = e.getMessage();
                    }
                }, transfers));
            }
            record.state = "Uploading";
            record.message = "File uploads in progress.";
            return record.uploads = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .thenCombine(previous, (x, y) -> (Void) null)
                    .thenRun(() -> {
                        if (record.uploadFailed()) {
                            record.state = "Failed";
                            record.message = "File upload failed.";
                        } else if (record.state.equals("Uploading")) {
                            record.state = "Uploaded";
                            record.message = "File uploads complete.";
                        }
                    });
        }
    }

    /**
     * After an HTTP transfer ended: the project is {@code Uploaded} once every file it has is stored and
     * no {@code /upload} is still running; a cut-off transfer leaves it {@code Uploading} (resumable).
     */
    static void settleTransfers(ProjectRecord record) {
        synchronized (record) {
            if (record.state.equals("Uploading") && record.uploads.isDone()
                    && record.files.values().stream().allMatch(f -> f.state.equals("Completed"))) {
                record.state = "Uploaded";
                record.message = "File uploads complete.";
            }
        }
    }

    /** {@code GET /projects}: the caller's projects with their file counts, sizes and states. */
    void projectList(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "GET");
            String email = sessions.user(x);
            JsonArray list = new JsonArray();
            projects.values().stream().filter(p -> p.owner.equals(email)).forEach(p -> {
                JsonObject o = new JsonObject();
                o.addProperty("name", p.name);
                o.addProperty("num_files", p.files.size());
                o.addProperty("total_size", p.bytesTotal());
                o.addProperty("state", p.state);
                list.add(o);
            });
            JsonObject o = new JsonObject();
            o.add("projects", list);
            return o;
        });
    }

    /** {@code GET /project-status/<name>}. */
    void status(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "GET");
            String email = sessions.user(x);
            String name = pathName(x, "/project-status/");
            return lookup(name, email).statusJson();
        });
    }

    @Override
    public void close() {
        transfers.shutdownNow();
    }
}
