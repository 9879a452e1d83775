// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import static org.tessera.internal.cloud.gateway.GatewayHttp.answer;
import static org.tessera.internal.cloud.gateway.GatewayHttp.jsonBody;
import static org.tessera.internal.cloud.gateway.GatewayHttp.method;
import static org.tessera.internal.cloud.gateway.GatewayHttp.pathName;
import static org.tessera.internal.cloud.gateway.GatewayHttp.string;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.tessera.cloud.core.CreditsBudgetAction;
import org.tessera.http.HttpExchange;

/**
 * The routes that start work: {@code /upload} (queue file copies into the store),
 * {@code /project-submit} (validate the submission completely with {@link SubmissionParser}, record its
 * job graph, and once its files are stored hand it to the {@link JobRunner}, which runs the jobs in
 * dependency order and delivers results) and {@code /project-resume/<name>} (jobs suspended at their
 * credits budget go on).
 */
final class SubmissionRoutes implements AutoCloseable {
    private final GatewaySessions sessions;
    private final ProjectStore store;
    private final JobRunner jobRunner;
    private final Supplier<List<FarmRenderer.EngineProduct>> offered;
    private final ExecutorService runs = Executors.newCachedThreadPool(r -> EnvoyGateway.daemon(r, "envoy-jobs"));

    SubmissionRoutes(GatewaySessions sessions, ProjectStore store, JobRunner jobRunner,
            Supplier<List<FarmRenderer.EngineProduct>> offered) {
        this.sessions = sessions;
        this.store = store;
        this.jobRunner = jobRunner;
        this.offered = offered;
    }

    void upload(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "POST");
            String email = sessions.requireCredits(sessions.user(x));
            JsonObject body = jsonBody(x);
            UploadPlan plan = UploadPlan.of(body.get("upload"), null);
            ProjectRecord record = store.record(plan.project(), email);
            store.startTransfers(record, plan);
            JsonObject o = new JsonObject();
            o.addProperty("ID", plan.project());
            return o;
        });
    }

    /**
     * {@code POST /project-resume/<name>} (designed): the jobs suspended at their credits budget go
     * on, each from its first frame not yet rendered, with the budget in the body
     * ({@code {"credits_budget": {"credits", "action"}}}, which must exceed what the job consumed)
     * or, without one, with its submitted budget granted once more on top of what it consumed. Jobs
     * waiting behind them run once they complete.
     */
    void resume(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "POST");
            String email = sessions.requireCredits(sessions.user(x));
            String name = pathName(x, "/project-resume/");
            ProjectRecord record = store.lookup(name, email);
            JsonObject body = jsonBody(x, true);
            Double credits = null;
            CreditsBudgetAction action = null;
            if (body.has("credits_budget")) {
                try {
                    JsonObject b = body.getAsJsonObject("credits_budget");
                    credits = b.get("credits").getAsDouble();
                    action = CreditsBudgetAction.fromWire(b.get("action").getAsString());
                } catch (RuntimeException e) {
                    throw new Refusal(400, "credits_budget must be {credits: number, action: stop|suspend|alert}");
                }
            }
            synchronized (record) {
                List<JobRun> suspended = record.jobs.stream().filter(j -> j.state.equals("Suspended")).toList();
                if (!record.state.equals("Suspended") || suspended.isEmpty()) {
                    throw new Refusal(409, "project " + name + " has no suspended jobs (state " + record.state + ")");
                }
                List<String> errors = new ArrayList<>();
                for (JobRun j : suspended) {
                    double limit = credits != null ? credits : j.creditsConsumed + j.initialBudget;
                    if (!(limit > j.creditsConsumed)) {
                        errors.add("job '" + j.name + "': a budget of " + limit + " credits is not more than the "
                                + j.creditsConsumed + " it consumed");
                    }
                }
                if (!errors.isEmpty()) {
                    throw new Refusal(400, errors);
                }
                JsonArray resumed = new JsonArray();
                for (JobRun j : suspended) {
                    j.budget = credits != null ? credits : j.creditsConsumed + j.initialBudget;
                    if (action != null) {
                        j.budgetAction = action;
                    }
                    j.suspended = false;
                    j.alerted = false;
                    j.message = "resumed with a budget of " + j.budget + " credits";
                    j.state = "Waiting";
                    resumed.add(j.id);
                }
                record.state = "Rendering";
                record.message = "Resumed.";
                runs.execute(() -> jobRunner.runJobs(record, email, record.watch));
                JsonObject o = new JsonObject();
                o.addProperty("ID", name);
                o.addProperty("Message", "Resumed " + resumed.size() + " suspended job(s).");
                o.add("Resumed", resumed);
                return o;
            }
        });
    }

    void submit(HttpExchange exchange) {
        answer(exchange, 201, x -> {
            method(x, "POST");
            String email = sessions.requireCredits(sessions.user(x));
            JsonObject body = jsonBody(x);
            JsonObject request = body.has("project_request") && body.get("project_request").isJsonObject()
                    ? body.getAsJsonObject("project_request") : null;
            if (request == null) {
                throw new Refusal(400, "project_request is missing");
            }
            JsonElement skip = body.get("skip_upload");
            if (skip != null && !skip.isJsonNull() && !(skip.isJsonPrimitive() && skip.getAsJsonPrimitive().isBoolean())) {
                throw new Refusal(400, "skip_upload must be true or false, not " + skip);
            }
            boolean skipUpload = skip != null && !skip.isJsonNull() && skip.getAsBoolean();
            JsonObject projectFiles = body.has("project_files") && body.get("project_files").isJsonObject()
                    ? body.getAsJsonObject("project_files") : null;
            UploadPlan plan = null;
            String project;
            if (!skipUpload) {
                JsonElement entries = body.get("upload");
                if (entries == null) {
                    if (projectFiles == null) {
                        throw new Refusal(400, "project_files is missing");
                    }
                    JsonArray one = new JsonArray();
                    one.add(projectFiles);
                    entries = one;
                }
                plan = UploadPlan.of(entries, null);
                project = plan.project();
            } else {
                project = uploadedProject(projectFiles, email);
            }
            SubmissionParser.Submission submission = SubmissionParser.parse(body, request, project, offered.get(),
                    store.projects());
            ProjectRecord record = store.record(project, email);
            CompletableFuture<Void> uploaded;
            // checked and taken at once: of concurrent submissions of one project exactly one gets 201
            synchronized (record) {
                if (record.jobs.stream().anyMatch(j -> !j.finished())) {
                    throw new Refusal(409, "project " + project + " still has jobs running");
                }
                record.jobs.clear();
                record.jobs.addAll(submission.jobs());
                record.alerts.clear();
                record.deliveryFailures.clear();
                record.watch = submission.watch();
                record.submission = submission.submissionName();
                if (plan == null) {
                    record.state = "Submitted";
                }
                uploaded = plan == null ? record.uploads : store.startTransfers(record, plan);
                record.message = "Job submission successful.";
            }
            uploaded.thenRunAsync(() -> jobRunner.runJobs(record, email, record.watch), runs);
            JsonObject o = new JsonObject();
            o.addProperty("ID", project);
            o.addProperty("Message", "Job submission successful.");
            return o;
        });
    }

    /** With {@code skip_upload}: the caller's project named by {@code project_files.remoteRoot}, already stored. */
    private String uploadedProject(JsonObject projectFiles, String email) throws Refusal {
        String rr = projectFiles == null ? null : string(projectFiles, "remoteRoot");
        if (rr == null) {
            throw new Refusal(400, "project_files.remoteRoot is needed to find the uploaded project");
        }
        String project;
        try {
            project = SafePaths.relativeName(rr.replace('\\', '/').replaceAll("^/+", "")).split("/")[0];
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "project_files.remoteRoot '" + rr + "' must name a project folder (/<project>): "
                    + e.getMessage());
        }
        String owner = store.owner(project);
        if (owner != null && !owner.equals(email)) {
            throw new Refusal(403, "project " + project + " belongs to another user");
        }
        if (owner == null || !Files.isDirectory(store.projects().resolve(project))) {
            throw new Refusal(400, "project " + project + " has no uploaded files; submit without skip_upload");
        }
        return project;
    }

    @Override
    public void close() {
        runs.shutdownNow();
    }
}
