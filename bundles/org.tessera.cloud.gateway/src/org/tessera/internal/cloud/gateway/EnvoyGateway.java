// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.tessera.cloud.core.CreditsBudgetAction;
import org.tessera.http.HttpEndpoint;
import org.tessera.http.HttpExchange;

/**
 * The Envoy-compatible service: the public Envoy paths plus Tessera's {@code /machines},
 * {@code /projects} and {@code /transfer/...}. Like Envoy it is a local agent: {@code /upload}
 * names files under a {@code localRoot} that the gateway reads itself and streams into the
 * farm's project store ({@code <data>/projects/<name>/...}); submissions become render jobs run in
 * dependency order; results go to the remote output folder and are copied into the watch folders
 * whose pattern they match. Every request is validated completely before anything is stored.
 */
public final class EnvoyGateway implements AutoCloseable {
    private static final long MAX_JSON_BYTES = 16L * 1024 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Network read buffer per connection: {@code PUT /transfer} bodies arrive in chunks this large. */
    static final int TRANSFER_BUFFER = 1 << 20;

    private final Path data;
    private final UserLedger ledger;
    private final Supplier<FarmRenderer> renderer;
    private final double creditsPerNodeSecond;
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> addressSessions = new ConcurrentHashMap<>();
    private final Map<String, String> addressTokens = new ConcurrentHashMap<>();
    private final Map<String, ProjectRecord> projects = new ConcurrentHashMap<>();
    private final ProjectOwners owners;
    private final JobRunner jobRunner;
    private final ExecutorService transfers = Executors.newFixedThreadPool(2, r -> daemon(r, "envoy-transfer"));
    private final ExecutorService runs = Executors.newCachedThreadPool(r -> daemon(r, "envoy-jobs"));
    private HttpEndpoint endpoint;

    /**
     * @param data the gateway's data folder (users, project store, staging)
     * @param renderer the farm, or a supplier answering null when no renderer is installed
     * @param creditsPerNodeSecond what one node-second of rendering costs
     */
    public EnvoyGateway(Path data, Supplier<FarmRenderer> renderer, double creditsPerNodeSecond) throws IOException {
        this.data = data.toAbsolutePath().normalize();
        this.ledger = new UserLedger(this.data);
        this.owners = new ProjectOwners(this.data);
        this.jobRunner = new JobRunner(this.data.resolve("projects"), ledger, renderer, creditsPerNodeSecond);
        this.renderer = renderer;
        this.creditsPerNodeSecond = creditsPerNodeSecond;
        Files.createDirectories(this.data.resolve("projects"));
        Files.createDirectories(this.data.resolve("staging"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public UserLedger ledger() {
        return ledger;
    }

    /** Starts serving on host:port (0 for any free port) and returns the endpoint. */
    public HttpEndpoint start(String host, int port, String accessToken) throws IOException {
        HttpEndpoint.Builder b = HttpEndpoint.builder().host(host).port(port).accessToken(accessToken)
                .name("envoy-gateway").maxRequestBytes(Long.MAX_VALUE / 2).idleTimeoutMillis(120_000)
                .inputBufferSize(TRANSFER_BUFFER);
        b.route("/auth", this::auth);
        b.route("/credits-info", this::creditsInfo);
        b.route("/user-info", this::userInfo);
        b.route("/products", this::products);
        b.route("/machines", this::machines);
        b.route("/projects", this::projectList);
        b.route("/upload", this::upload);
        b.route("/project-submit", this::submit);
        b.route("/project-status/*", this::status);
        b.route("/project-resume/*", this::resume);
        b.route("/transfer/*", this::transfer);
        endpoint = b.start();
        return endpoint;
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        transfers.shutdownNow();
        runs.shutdownNow();
    }

    // ---- plumbing -------------------------------------------------------------------------

    @FunctionalInterface
    interface Handler {
        JsonElement handle(HttpExchange exchange) throws Refusal, IOException;
    }

    private static void answer(HttpExchange exchange, int okStatus, Handler handler) {
        try {
            JsonElement body = handler.handle(exchange);
            respond(exchange, okStatus, body);
        } catch (Refusal r) {
            JsonObject o = new JsonObject();
            o.addProperty("Code", r.status);
            o.addProperty("Message", r.getMessage());
            JsonArray errors = new JsonArray();
            r.errors.forEach(errors::add);
            o.add("errors", errors);
            respond(exchange, r.status, o);
        } catch (IOException | RuntimeException e) {
            // a fault of the gateway (bad input is refused above): a message, never a stack trace
            JsonObject o = new JsonObject();
            o.addProperty("Code", 500);
            o.addProperty("Message", "gateway failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            respond(exchange, 500, o);
        }
    }

    private static void respond(HttpExchange exchange, int status, JsonElement body) {
        if (!exchange.responded()) {
            exchange.respond(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void method(HttpExchange exchange, String... allowed) throws Refusal {
        for (String m : allowed) {
            if (m.equals(exchange.method())) {
                return;
            }
        }
        throw new Refusal(405, exchange.method() + " not allowed on " + exchange.path());
    }

    private static JsonObject jsonBody(HttpExchange exchange) throws Refusal, IOException {
        return jsonBody(exchange, false);
    }

    /** The body as a JSON object; with {@code optional}, an empty body is an empty object. */
    private static JsonObject jsonBody(HttpExchange exchange, boolean optional) throws Refusal, IOException {
        byte[] bytes;
        try (InputStream in = exchange.bodyStream()) {
            bytes = in.readNBytes((int) MAX_JSON_BYTES + 1);
        }
        if (bytes.length > MAX_JSON_BYTES) {
            throw new Refusal(413, "JSON body larger than " + MAX_JSON_BYTES + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (optional && text.isBlank()) {
            return new JsonObject();
        }
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw new Refusal(400, "malformed JSON: expected an object");
            }
            return e.getAsJsonObject();
        } catch (RuntimeException e) {
            throw new Refusal(400, "malformed JSON: " + e.getMessage());
        }
    }

    /**
     * The logged-in user: the {@code X-Envoy-Session} header's session; without the header (the public
     * Python client sends none), the last login from the client's address, but only while the gateway
     * has exactly one user: with several, any local process could act as the last one who logged in.
     */
    private String user(HttpExchange exchange) throws Refusal, IOException {
        String token = exchange.header("X-Envoy-Session");
        String email;
        if (token != null) {
            email = sessions.get(token);
        } else {
            email = addressSessions.get(exchange.remoteAddress());
            if (email != null && ledger.count() > 1) {
                throw new Refusal(401, "this gateway has several users: send the header X-Envoy-Session with the Token"
                        + " that POST /auth answered (requests without it are only accepted on a one-user gateway)");
            }
        }
        if (email == null || ledger.user(email).isEmpty()) {
            throw new Refusal(401, "not authenticated: POST /auth first");
        }
        return email;
    }

    /** The rest of the path after {@code prefix}, %-decoded once ({@code my%20shot}; a '+' stays a '+'). */
    private static String pathName(HttpExchange x, String prefix) throws Refusal {
        try {
            return SafePaths.percentDecode(x.path().substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, e.getMessage());
        }
    }

    private String requireCredits(String email) throws Refusal, IOException {
        double credits = ledger.user(email).map(u -> u.creditsAvailable).orElse(0.0);
        if (credits <= 0) {
            JsonObject unused = new JsonObject();
            unused.addProperty("credits_available", credits);
            throw new Refusal(402, "insufficient credits: " + credits + " available");
        }
        return email;
    }

    private static String string(JsonObject o, String key) {
        return SubmissionParser.string(o, key);
    }

    // ---- public protocol ----------------------------------------------------------------

    private void auth(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "POST");
            JsonObject body = jsonBody(x);
            String email = string(body, "Username");
            String key = string(body, "AccessKey");
            if (!ledger.authenticate(email, key)) {
                addressSessions.remove(x.remoteAddress());
                throw new Refusal(401, "invalid e-mail address or access key");
            }
            // one session per address and user: clients that log in before every call (the public
            // Python client) do not pile up sessions
            String token = addressTokens.computeIfAbsent(x.remoteAddress() + "\n" + email, k -> {
                byte[] t = new byte[24];
                RANDOM.nextBytes(t);
                return Base64.getUrlEncoder().withoutPadding().encodeToString(t);
            });
            sessions.put(token, email);
            addressSessions.put(x.remoteAddress(), email);
            JsonObject o = new JsonObject();
            o.addProperty("Message", "authenticated");
            o.addProperty("Token", token);
            return o;
        });
    }

    private void creditsInfo(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "GET");
            UserLedger.User u = ledger.user(user(x)).orElseThrow();
            JsonObject o = new JsonObject();
            o.addProperty("credits_available", u.creditsAvailable);
            o.addProperty("credits_consumed", u.creditsConsumed);
            return o;
        });
    }

    private void userInfo(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "GET");
            UserLedger.User u = ledger.user(user(x)).orElseThrow();
            JsonObject d = new JsonObject();
            d.addProperty("created", u.created);
            d.addProperty("credits_available", u.creditsAvailable);
            d.addProperty("credits_consumed", u.creditsConsumed);
            d.addProperty("email_address", u.email);
            d.addProperty("job_throughput_limit", u.jobThroughputLimit);
            d.addProperty("max_throughput", u.maxThroughput);
            d.addProperty("name", u.email.substring(0, u.email.indexOf('@')));
            d.addProperty("service_plan", u.plan);
            JsonObject o = new JsonObject();
            o.add("data", d);
            return o;
        });
    }

    private List<FarmRenderer.EngineProduct> offered() {
        FarmRenderer r = renderer.get();
        return r == null ? List.of() : r.products();
    }

    private void products(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "GET");
            JsonArray list = new JsonArray();
            for (FarmRenderer.EngineProduct p : offered()) {
                JsonObject o = new JsonObject();
                o.addProperty("app_type", p.code());
                o.addProperty("version", p.version());
                o.add("compatible_modules", new JsonArray());
                o.addProperty("id", p.code() + ":" + p.version());
                o.addProperty("name", p.name());
                list.add(o);
            }
            return list;
        });
    }

    private void machines(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "GET");
            user(x);
            String category = query(x).getOrDefault("category", "all");
            JsonArray list = new JsonArray();
            if (!category.equals("gpu")) {
                JsonObject o = new JsonObject();
                o.addProperty("id", "farm-cpu");
                o.addProperty("name", "Tessera farm nodes (CPU, " + Runtime.getRuntime().availableProcessors() + " cores)");
                o.addProperty("gpu", false);
                o.addProperty("is_default", true);
                list.add(o);
            }
            return list;
        });
    }

    private static Map<String, String> query(HttpExchange x) {
        Map<String, String> q = new HashMap<>();
        if (x.query() != null) {
            for (String pair : x.query().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private void projectList(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "GET");
            String email = user(x);
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

    /** A validated group of files: read from localRoot, stored under the project's folder. */
    private record PlannedFile(Path source, String remoteName, long size) {
    }

    private record Plan(String project, List<PlannedFile> files) {
    }

    /** Checks every upload entry; nothing is stored unless all are good. */
    private Plan planUpload(JsonElement entries, String expectedProject) throws Refusal, IOException {
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
        return new Plan(project, files);
    }

    /** The project's record for a write (upload, submit, transfer): claims a free name for {@code email}. */
    private ProjectRecord record(String project, String email) throws Refusal, IOException {
        String owner = owners.claim(project, email);
        if (!owner.equals(email)) {
            throw new Refusal(403, "project " + project + " belongs to another user");
        }
        return known(project, owner);
    }

    /** The project's record for a read: never claims a name; another user's project is unknown (404). */
    private ProjectRecord lookup(String project, String email) throws Refusal {
        String owner = owners.owner(project);
        if (owner == null || !owner.equals(email)) {
            throw new Refusal(404, "no project named '" + project + "'");
        }
        return known(project, owner);
    }

    /** The record, made again after a restart from the stored owner and the files in the store. */
    private ProjectRecord known(String project, String owner) {
        return projects.computeIfAbsent(project, p -> {
            ProjectRecord r = new ProjectRecord(p, owner, data.resolve("projects").resolve(p));
            if (Files.isDirectory(r.root)) {
                r.state = "Uploaded";
                r.message = "Files stored before the gateway restarted.";
            }
            return r;
        });
    }

    /** Queues the planned files; returns when all are stored (or one failed). */
    /**
     * Queues the planned files behind the project's earlier transfers (the public client uploads, then
     * submits with the same files at once: two copies into one part file must never run together);
     * the future completes when all are stored (or one failed).
     */
    private java.util.concurrent.CompletableFuture<Void> startTransfers(ProjectRecord record, Plan plan) {
        synchronized (record) {
            java.util.concurrent.CompletableFuture<Void> previous = record.uploads.exceptionally(e -> null);
            List<java.util.concurrent.CompletableFuture<Void>> all = new ArrayList<>();
            for (PlannedFile f : plan.files()) {
                Path target = SafePaths.targetUnder(data.resolve("projects"), f.remoteName());
                Path part = SafePaths.targetUnder(data.resolve("staging"), f.remoteName() + ".part");
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
            return record.uploads = java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new))
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

    private void upload(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "POST");
            String email = requireCredits(user(x));
            JsonObject body = jsonBody(x);
            Plan plan = planUpload(body.get("upload"), null);
            ProjectRecord record = record(plan.project(), email);
            startTransfers(record, plan);
            JsonObject o = new JsonObject();
            o.addProperty("ID", plan.project());
            return o;
        });
    }

    private void status(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "GET");
            String email = user(x);
            String name = pathName(x, "/project-status/");
            return lookup(name, email).statusJson();
        });
    }

    /**
     * {@code POST /project-resume/<name>} (designed): the jobs suspended at their credits budget go
     * on, each from its first frame not yet rendered, with the budget in the body
     * ({@code {"credits_budget": {"credits", "action"}}}, which must exceed what the job consumed)
     * or, without one, with its submitted budget granted once more on top of what it consumed. Jobs
     * waiting behind them run once they complete.
     */
    private void resume(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "POST");
            String email = requireCredits(user(x));
            String name = pathName(x, "/project-resume/");
            ProjectRecord record = lookup(name, email);
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

    // ---- submission ---------------------------------------------------------------------

    private void submit(HttpExchange exchange) {
        answer(exchange, 201, x -> {
            method(x, "POST");
            String email = requireCredits(user(x));
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
            Plan plan = null;
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
                plan = planUpload(entries, null);
                project = plan.project();
            } else {
                String rr = projectFiles == null ? null : string(projectFiles, "remoteRoot");
                if (rr == null) {
                    throw new Refusal(400, "project_files.remoteRoot is needed to find the uploaded project");
                }
                try {
                    project = SafePaths.relativeName(rr.replace('\\', '/').replaceAll("^/+", "")).split("/")[0];
                } catch (IllegalArgumentException e) {
                    throw new Refusal(400, "project_files.remoteRoot '" + rr + "' must name a project folder (/<project>): "
                            + e.getMessage());
                }
                String owner = owners.owner(project);
                if (owner != null && !owner.equals(email)) {
                    throw new Refusal(403, "project " + project + " belongs to another user");
                }
                if (owner == null || !Files.isDirectory(data.resolve("projects").resolve(project))) {
                    throw new Refusal(400, "project " + project + " has no uploaded files; submit without skip_upload");
                }
            }
            SubmissionParser.Submission submission = SubmissionParser.parse(body, request, project, offered(),
                    data.resolve("projects"));
            ProjectRecord record = record(project, email);
            java.util.concurrent.CompletableFuture<Void> uploaded;
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
                uploaded = plan == null ? record.uploads : startTransfers(record, plan);
                record.message = "Job submission successful.";
            }
            uploaded.thenRunAsync(() -> jobRunner.runJobs(record, email, record.watch), runs);
            JsonObject o = new JsonObject();
            o.addProperty("ID", project);
            o.addProperty("Message", "Job submission successful.");
            return o;
        });
    }

    // ---- Tessera transfer endpoint (designed) ------------------------------------------------

    /**
     * After an HTTP transfer ended: the project is {@code Uploaded} once every file it has is stored and
     * no {@code /upload} is still running; a cut-off transfer leaves it {@code Uploading} (resumable).
     */
    private static void settleTransfers(ProjectRecord record) {
        synchronized (record) {
            if (record.state.equals("Uploading") && record.uploads.isDone()
                    && record.files.values().stream().allMatch(f -> f.state.equals("Completed"))) {
                record.state = "Uploaded";
                record.message = "File uploads complete.";
            }
        }
    }

    /**
     * {@code PUT /transfer/<project>/<path>} with {@code X-Transfer-Offset} (bytes already sent) and
     * {@code X-Transfer-Total}: streams a file into the project store through a part file;
     * {@code GET} answers how many bytes are staged, for resuming.
     */
    private void transfer(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "PUT", "GET");
            String email = user(x);
            String rel;
            try {
                rel = SafePaths.relativeName(pathName(x, "/transfer/"));
            } catch (IllegalArgumentException e) {
                throw new Refusal(400, e.getMessage());
            }
            String project = rel.split("/")[0];
            if (!rel.contains("/")) {
                throw new Refusal(400, "name a file inside a project: /transfer/<project>/<path>");
            }
            Path target = SafePaths.targetUnder(data.resolve("projects"), rel);
            Path part = SafePaths.targetUnder(data.resolve("staging"), rel + ".part");
            JsonObject o = new JsonObject();
            if (x.method().equals("GET")) {
                // a read never claims the name: a free one has nothing staged
                String owner = owners.owner(project);
                if (owner != null && !owner.equals(email)) {
                    throw new Refusal(403, "project " + project + " belongs to another user");
                }
                boolean mine = owner != null;
                o.addProperty("BytesStaged", mine && Files.exists(part) ? Files.size(part) : 0);
                o.addProperty("Stored", mine && Files.exists(target));
                return o;
            }
            requireCredits(email);
            ProjectRecord record = record(project, email);
            long total;
            long offset;
            try {
                total = Long.parseLong(x.header("X-Transfer-Total"));
                offset = x.header("X-Transfer-Offset") == null ? 0 : Long.parseLong(x.header("X-Transfer-Offset"));
                if (total < 0 || offset < 0 || offset > total) {
                    throw new NumberFormatException();
                }
            } catch (RuntimeException e) {
                throw new Refusal(400, "X-Transfer-Total (and X-Transfer-Offset, at most the total) must be byte counts");
            }
            FileTransfer t = new FileTransfer("/" + rel, target, part, total);
            if (t.resumeOffset() > total) {
                // staged for an earlier, longer version of the file: start over
                Files.delete(part);
            }
            if (offset != t.resumeOffset()) {
                throw new Refusal(409, "offset " + offset + " does not match the " + t.resumeOffset() + " bytes staged");
            }
            String declared = x.header("Content-Length");
            if (declared != null && !declared.equals(String.valueOf(total - offset))) {
                throw new Refusal(400, "Content-Length " + declared + " is not X-Transfer-Total - X-Transfer-Offset = "
                        + (total - offset));
            }
            record.files.put(t.remoteName, t);
            synchronized (record) {
                if (record.state.equals("Created") || record.state.equals("Uploaded")) {
                    record.state = "Uploading";
                    record.message = "File uploads in progress.";
                }
            }
            boolean complete;
            try {
                complete = t.receive(x);
            } catch (FileTransfer.TooLong e) {
                settleTransfers(record);
                throw new Refusal(413, e.getMessage() + "; nothing was stored");
            }
            settleTransfers(record);
            if (!complete) {
                throw new Refusal(400, "transfer cut off: " + t.error + "; resume from offset " + t.bytesDone);
            }
            o.addProperty("BytesDone", t.bytesDone);
            o.addProperty("BytesTotal", t.bytesTotal);
            return o;
        });
    }
}
