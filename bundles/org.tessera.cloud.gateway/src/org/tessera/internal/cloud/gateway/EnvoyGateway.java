// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import org.tessera.core.FrameRange;
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
    private final Map<String, ProjectRecord> projects = new ConcurrentHashMap<>();
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

    /** A refusal with an HTTP status and messages; turned into a JSON answer. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final List<String> errors;

        Refusal(int status, String message) {
            this(status, List.of(message));
        }

        Refusal(int status, List<String> errors) {
            super(String.join("; ", errors));
            this.status = status;
            this.errors = List.copyOf(errors);
        }
    }

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
        } catch (IOException e) {
            JsonObject o = new JsonObject();
            o.addProperty("Code", 500);
            o.addProperty("Message", "gateway failed: " + e.getMessage());
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

    /** The logged-in user: session header, else the last login from the client's address. */
    private String user(HttpExchange exchange) throws Refusal, IOException {
        String token = exchange.header("X-Envoy-Session");
        String email = token != null ? sessions.get(token) : addressSessions.get(exchange.remoteAddress());
        if (email == null || ledger.user(email).isEmpty()) {
            throw new Refusal(401, "not authenticated: POST /auth first");
        }
        return email;
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
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
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
            byte[] t = new byte[24];
            RANDOM.nextBytes(t);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
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

    private ProjectRecord record(String project, String email) throws Refusal {
        ProjectRecord r = projects.computeIfAbsent(project,
                p -> new ProjectRecord(p, email, data.resolve("projects").resolve(p)));
        if (!r.owner.equals(email)) {
            throw new Refusal(403, "project " + project + " belongs to another user");
        }
        return r;
    }

    /** Queues the planned files; returns when all are stored (or one failed). */
    private java.util.concurrent.CompletableFuture<Void> startTransfers(ProjectRecord record, Plan plan) {
        List<java.util.concurrent.CompletableFuture<Void>> all = new ArrayList<>();
        for (PlannedFile f : plan.files()) {
            Path target = SafePaths.targetUnder(data.resolve("projects"), f.remoteName());
            Path part = SafePaths.targetUnder(data.resolve("staging"), f.remoteName() + ".part");
            FileTransfer t = new FileTransfer("/" + f.remoteName(), target, part, f.size());
            record.files.put(t.remoteName, t);
            all.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
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
        java.util.concurrent.CompletableFuture<Void> previous = record.uploads;
        return record.uploads = java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new))
                .thenCombine(previous.exceptionally(e -> null), (a, b) -> (Void) null)
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
            String name = x.path().substring("/project-status/".length());
            ProjectRecord r = projects.get(name);
            if (r == null || !r.owner.equals(email)) {
                throw new Refusal(404, "no project named '" + name + "'");
            }
            return r.statusJson();
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
            String name = x.path().substring("/project-resume/".length());
            ProjectRecord record = projects.get(name);
            if (record == null || !record.owner.equals(email)) {
                throw new Refusal(404, "no project named '" + name + "'");
            }
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
                runs.execute(() -> runJobs(record, email, record.watch));
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
            boolean skipUpload = body.has("skip_upload") && body.get("skip_upload").isJsonPrimitive()
                    && body.get("skip_upload").getAsBoolean();
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
                project = rr.replaceAll("^/+", "").split("/")[0];
                if (!projects.containsKey(project)
                        && !Files.isDirectory(data.resolve("projects").resolve(SafePaths.relativeName(project)))) {
                    throw new Refusal(400, "project " + project + " has no uploaded files; submit without skip_upload");
                }
            }
            List<JobRun> jobs = parseJobs(request, project);
            Map<Pattern, Path> watch = parseWatch(body.get("watch_files"));
            ProjectRecord record = record(project, email);
            if (record.jobs.stream().anyMatch(j -> !j.finished())) {
                throw new Refusal(409, "project " + project + " still has jobs running");
            }
            record.jobs.clear();
            record.jobs.addAll(jobs);
            record.alerts.clear();
            record.watch = watch;
            if (plan == null) {
                record.state = "Submitted";
            }
            java.util.concurrent.CompletableFuture<Void> uploaded = plan == null ? record.uploads : startTransfers(record, plan);
            record.message = "Job submission successful.";
            uploaded.thenRunAsync(() -> runJobs(record, email, record.watch), runs);
            JsonObject o = new JsonObject();
            o.addProperty("ID", project);
            o.addProperty("Message", "Job submission successful.");
            return o;
        });
    }

    private Map<Pattern, Path> parseWatch(JsonElement element) throws Refusal {
        Map<Pattern, Path> watch = new LinkedHashMap<>();
        if (element == null || element.isJsonNull()) {
            return watch;
        }
        if (!element.isJsonObject()) {
            throw new Refusal(400, "watch_files must be an object {regex: local folder}");
        }
        List<String> errors = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : element.getAsJsonObject().entrySet()) {
            try {
                Path folder = Path.of(e.getValue().getAsString());
                if (!folder.isAbsolute()) {
                    errors.add("watch folder must be absolute: " + folder);
                    continue;
                }
                watch.put(Pattern.compile(e.getKey()), folder);
            } catch (RuntimeException ex) {
                errors.add("bad watch file '" + e.getKey() + "': " + ex.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new Refusal(400, errors);
        }
        return watch;
    }

    private List<JobRun> parseJobs(JsonObject request, String project) throws Refusal {
        JsonElement jobsElement = request.get("jobs");
        if (jobsElement == null || !jobsElement.isJsonArray() || jobsElement.getAsJsonArray().isEmpty()) {
            throw new Refusal(400, "project_request.jobs must be a non-empty list");
        }
        List<String> errors = new ArrayList<>();
        Map<String, JobRun> byId = new LinkedHashMap<>();
        List<FarmRenderer.EngineProduct> offered = offered();
        for (JsonElement e : jobsElement.getAsJsonArray()) {
            if (!e.isJsonObject()) {
                errors.add("job is not an object: " + e);
                continue;
            }
            JsonObject j = e.getAsJsonObject();
            String id = string(j, "id");
            String name = string(j, "name");
            String label = "job " + (name != null ? "'" + name + "'" : id);
            String app = string(j, "app");
            String version = string(j, "app_version");
            String operation = string(j, "operation");
            String path = string(j, "path");
            JsonObject params = j.has("params") && j.get("params").isJsonObject() ? j.getAsJsonObject("params") : new JsonObject();
            int before = errors.size();
            if (id == null || id.isBlank()) {
                errors.add(label + ": id is missing");
            } else if (byId.containsKey(id)) {
                errors.add(label + ": duplicate id " + id);
            }
            if (app == null || offered.stream().noneMatch(p -> p.code().equals(app))) {
                errors.add(label + ": unknown product '" + app + "'; offered: "
                        + offered.stream().map(p -> p.code() + ":" + p.version()).toList());
            } else if (version != null && offered.stream().noneMatch(p -> p.code().equals(app) && p.version().equals(version))) {
                errors.add(label + ": product " + app + " has no version '" + version + "'");
            }
            if (operation != null && !operation.equals("render")) {
                errors.add(label + ": operation '" + operation + "' is not offered; use render");
            }
            String scene = null;
            try {
                String p = path == null ? null : path.replaceAll("^/+", "");
                if (p == null) {
                    errors.add(label + ": path is missing");
                } else {
                    SafePaths.relativeName(p);
                    scene = p.startsWith(project + "/") ? p : project + "/" + p;
                }
            } catch (IllegalArgumentException ex) {
                errors.add(label + ": path " + ex.getMessage());
            }
            FrameRange frames = null;
            try {
                frames = FrameRange.parse(params.has("frames") ? params.get("frames").getAsString() : "0");
            } catch (RuntimeException ex) {
                errors.add(label + ": frames " + ex.getMessage());
            }
            int instances = 1;
            try {
                instances = params.has("instances") ? params.get("instances").getAsInt() : 1;
                if (instances < 1 || instances > 256) {
                    errors.add(label + ": instances must be 1..256");
                }
            } catch (RuntimeException ex) {
                errors.add(label + ": instances must be a number");
            }
            String outputDir = params.has("output_dir_name") ? params.get("output_dir_name").getAsString()
                    : "/" + project + "/render_results/" + java.time.LocalDateTime.now().toString().replace(':', '-');
            try {
                String rel = SafePaths.relativeName(outputDir.replaceAll("^/+", ""));
                if (!rel.startsWith(project + "/")) {
                    errors.add(label + ": output_dir_name must be under /" + project);
                }
            } catch (IllegalArgumentException ex) {
                errors.add(label + ": output_dir_name " + ex.getMessage());
            }
            Double budget = null;
            CreditsBudgetAction action = null;
            if (params.has("credits_budget")) {
                try {
                    JsonObject b = params.getAsJsonObject("credits_budget");
                    budget = b.get("credits").getAsDouble();
                    action = CreditsBudgetAction.fromWire(b.get("action").getAsString());
                    if (!(budget > 0)) {
                        errors.add(label + ": credits budget must be positive");
                    }
                } catch (RuntimeException ex) {
                    errors.add(label + ": credits_budget must be {credits: number, action: stop|suspend|alert}");
                }
            }
            Map<String, String> p = new LinkedHashMap<>();
            params.entrySet().forEach(en -> {
                if (en.getValue().isJsonPrimitive()) {
                    p.put(en.getKey(), en.getValue().getAsString());
                }
            });
            if (errors.size() == before) {
                JobRun run = new JobRun(id, name == null ? id : name, app, version, scene, frames, instances,
                        outputDir.replaceAll("^/+", ""), budget, action, p);
                JsonElement deps = j.get("dependencies");
                if (deps != null && deps.isJsonArray()) {
                    deps.getAsJsonArray().forEach(d -> run.dependencyIds.add(d.getAsString()));
                }
                byId.put(id, run);
            } else if (id != null) {
                byId.putIfAbsent(id, null);
            }
        }
        for (JobRun run : byId.values()) {
            if (run != null) {
                for (String d : run.dependencyIds) {
                    if (!byId.containsKey(d)) {
                        errors.add("job '" + run.name + "': unknown dependency " + d);
                    }
                }
            }
        }
        if (errors.isEmpty()) {
            String cycle = findCycle(byId);
            if (cycle != null) {
                errors.add("cyclic job dependencies: " + cycle);
            }
        }
        if (!errors.isEmpty()) {
            throw new Refusal(400, errors);
        }
        return new ArrayList<>(byId.values());
    }

    /** A dependency cycle written {@code a -> b -> a}, or null. */
    static String findCycle(Map<String, JobRun> jobs) {
        Map<String, Integer> mark = new HashMap<>();
        for (String start : jobs.keySet()) {
            List<String> path = new ArrayList<>();
            String c = visit(start, jobs, mark, path);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static String visit(String id, Map<String, JobRun> jobs, Map<String, Integer> mark, List<String> path) {
        Integer m = mark.get(id);
        if (m != null && m == 2) {
            return null;
        }
        path.add(jobs.get(id).name);
        if (m != null && m == 1) {
            return String.join(" -> ", path);
        }
        mark.put(id, 1);
        for (String d : jobs.get(id).dependencyIds) {
            String c = visit(d, jobs, mark, path);
            if (c != null) {
                return c;
            }
        }
        mark.put(id, 2);
        path.remove(path.size() - 1);
        return null;
    }

    // ---- running ------------------------------------------------------------------------

    private void runJobs(ProjectRecord record, String email, Map<Pattern, Path> watch) {
        if (record.uploadFailed()) {
            record.jobs.forEach(j -> {
                j.state = "Failed";
                j.message = "project files did not upload";
            });
            record.state = "Failed";
            return;
        }
        record.state = "Rendering";
        record.message = "Jobs are rendering.";
        List<JobRun> pending = new ArrayList<>(record.jobs);
        while (!pending.isEmpty()) {
            JobRun next = null;
            for (JobRun j : pending) {
                List<JobRun> deps = record.jobs.stream().filter(d -> j.dependencyIds.contains(d.id)).toList();
                if (deps.stream().allMatch(d -> d.state.equals("Completed"))) {
                    next = j;
                    break;
                }
                // behind a suspended job a job waits: it runs when that one is resumed and completes
                if (deps.stream().anyMatch(d -> d.finished() && !d.state.equals("Completed") && !d.state.equals("Suspended"))) {
                    j.state = "Failed";
                    j.message = "a job it depends on did not complete";
                    next = j;
                    break;
                }
            }
            if (next == null) {
                break; // what is left waits behind a suspended job
            }
            pending.remove(next);
            if (!next.finished()) {
                runJob(record, email, next, watch);
            }
        }
        boolean allOk = record.jobs.stream().allMatch(j -> j.state.equals("Completed"));
        record.state = allOk ? "Completed" : record.jobs.stream().anyMatch(j -> j.state.equals("Stopped")) ? "Stopped"
                : record.jobs.stream().anyMatch(j -> j.state.equals("Suspended")) ? "Suspended" : "Failed";
        record.message = allOk ? "All jobs completed."
                : record.state.equals("Suspended") ? "Suspended at a credits budget: POST /project-resume/" + record.name
                        + " to go on." : "Some jobs did not complete.";
    }

    private void runJob(ProjectRecord record, String email, JobRun job, Map<Pattern, Path> watch) {
        FarmRenderer farm = renderer.get();
        if (farm == null) {
            job.state = "Failed";
            job.message = "no renderer installed on this farm";
            return;
        }
        Path store = data.resolve("projects");
        Path scene = store.resolve(job.scene).normalize();
        Path output = store.resolve(job.outputDir).resolve(job.name.replaceAll("[^A-Za-z0-9._-]", "_")).normalize();
        if (!scene.startsWith(store.resolve(record.name)) || !Files.isRegularFile(scene)) {
            job.state = "Failed";
            job.message = "job file /" + job.scene + " was not uploaded";
            return;
        }
        job.state = "Rendering";
        // counted again from the output folder: frames a suspended run already wrote are reported first
        job.framesDone = 0;
        try {
            Files.createDirectories(output);
            farm.render(scene, job.app, job.frames, job.instances, job.params, output, (frame, file, nodeSeconds) -> {
                double cost = nodeSeconds * creditsPerNodeSecond;
                job.framesDone++;
                job.creditsConsumed += cost;
                double left;
                try {
                    left = ledger.charge(email, cost);
                } catch (IOException e) {
                    left = 1;
                }
                deliver(record, file, watch);
                if (left <= 0) {
                    job.cancelled = true;
                    job.message = "user credits exhausted";
                }
                if (job.budget != null && job.creditsConsumed >= job.budget) {
                    switch (job.budgetAction) {
                    case STOP -> {
                        job.cancelled = true;
                        job.message = "credits budget " + job.budget + " reached: stopped";
                    }
                    case SUSPEND -> {
                        job.suspended = true;
                        job.message = "credits budget " + job.budget + " reached: suspended after frame " + frame
                                + "; resume with POST /project-resume/" + record.name;
                    }
                    case ALERT -> {
                        if (!job.alerted) {
                            job.alerted = true;
                            String alert = String.format(java.util.Locale.ROOT,
                                    "job '%s': credits budget %s reached (%.4f consumed after frame %d); the job goes on",
                                    job.name, job.budget, job.creditsConsumed, frame);
                            record.alerts.add(alert);
                            job.message = "alert: " + alert;
                        }
                    }
                    }
                }
            }, () -> job.cancelled || job.suspended);
            // a budget reached on the last frame leaves nothing to stop or suspend
            job.state = job.framesDone >= job.frames.count() ? "Completed"
                    : job.cancelled ? "Stopped" : job.suspended ? "Suspended" : "Failed";
            if (job.state.equals("Completed") && (job.message.isEmpty() || job.message.startsWith("resumed"))) {
                job.message = "rendered " + job.framesDone + " frames";
            }
        } catch (Exception e) {
            job.state = job.cancelled ? "Stopped" : "Failed";
            job.message = job.cancelled ? job.message : "render failed: " + e.getMessage();
        }
    }

    /** Copies a result into every watch folder whose pattern matches its remote path. */
    private void deliver(ProjectRecord record, Path file, Map<Pattern, Path> watch) {
        Path store = data.resolve("projects");
        String remote = "/" + store.relativize(file).toString().replace('\\', '/');
        for (Map.Entry<Pattern, Path> w : watch.entrySet()) {
            if (w.getKey().matcher(remote).matches()) {
                try {
                    Path target = w.getValue().resolve(file.getFileName().toString());
                    Files.createDirectories(w.getValue());
                    Path tmp = w.getValue().resolve("." + file.getFileName() + ".download");
                    Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    record.message = "download of " + remote + " failed: " + e.getMessage();
                }
            }
        }
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
                rel = SafePaths.relativeName(URLDecoder.decode(x.path().substring("/transfer/".length()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new Refusal(400, e.getMessage());
            }
            String project = rel.split("/")[0];
            if (!rel.contains("/")) {
                throw new Refusal(400, "name a file inside a project: /transfer/<project>/<path>");
            }
            ProjectRecord record = record(project, email);
            Path target = SafePaths.targetUnder(data.resolve("projects"), rel);
            Path part = SafePaths.targetUnder(data.resolve("staging"), rel + ".part");
            JsonObject o = new JsonObject();
            if (x.method().equals("GET")) {
                o.addProperty("BytesStaged", Files.exists(part) ? Files.size(part) : 0);
                o.addProperty("Stored", Files.exists(target));
                return o;
            }
            requireCredits(email);
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
            boolean complete = t.receive(x);
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
