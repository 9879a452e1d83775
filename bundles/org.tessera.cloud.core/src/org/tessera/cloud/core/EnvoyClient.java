// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.tessera.internal.cloud.core.EnvoyBodies;
import org.tessera.internal.cloud.core.EnvoyTransport;

/**
 * Client of an Envoy service (GridMarkets' local agent, or a Tessera gateway), speaking the public
 * Envoy HTTP protocol: {@code POST /auth}, {@code GET /credits-info}, {@code GET /user-info},
 * {@code GET /products}, {@code POST /upload}, {@code POST /project-submit},
 * {@code GET /project-status/{name}}, plus Tessera's {@code GET /machines}. Envoy reads the
 * project's files from the local disk itself; this client only names them.
 * <p>
 * Errors are typed ({@link AuthenticationError}, {@link InsufficientCreditsError},
 * {@link InvalidRequestError}, {@link APIError}); read-only calls are retried with exponential
 * backoff when the transport fails, calls that change state never are. Thread-safe.
 */
public class EnvoyClient implements AutoCloseable {
    /** Where Envoy listens by default. */
    public static final URI DEFAULT_URL = URI.create("http://localhost:8090");
    /** Version of this client. */
    public static final String VERSION = "0.1.0";
    /** Header carrying the session token a Tessera gateway gives on {@code /auth} (not in the public protocol). */
    public static final String SESSION_HEADER = "X-Envoy-Session";

    private final EnvoyTransport transport;
    private volatile String email;
    private volatile String session;

    /** A client of {@link #DEFAULT_URL}. */
    public EnvoyClient() {
        this(DEFAULT_URL);
    }

    /** A client of the Envoy service at {@code baseUrl}, retrying read-only calls 3 times from 250 ms. */
    public EnvoyClient(URI baseUrl) {
        this(baseUrl, 3, Duration.ofMillis(250));
    }

    /**
     * @param retries how often a failed read-only call is repeated
     * @param backoff first wait between attempts, doubled each time
     */
    public EnvoyClient(URI baseUrl, int retries, Duration backoff) {
        this.transport = new EnvoyTransport(baseUrl, retries, backoff);
    }

    /** The service URL. */
    public URI baseUrl() {
        return transport.base();
    }

    /** This client's version. */
    public String version() {
        return VERSION;
    }

    private Map<String, String> headers() {
        Map<String, String> h = new HashMap<>();
        if (session != null) {
            h.put(SESSION_HEADER, session);
        }
        return h;
    }

    /**
     * Logs in: Envoy remembers the user for later calls.
     *
     * @throws AuthenticationError when the e-mail address or key is refused
     */
    public void authenticate(String email, String accessKey) {
        if (email == null || email.isBlank() || accessKey == null || accessKey.isBlank()) {
            throw new AuthenticationError("e-mail address and access key are required");
        }
        this.session = null;
        EnvoyTransport.Answer a = transport.post("/auth", EnvoyBodies.auth(email, accessKey), Map.of(), true);
        this.email = email;
        if (a.json().isJsonObject() && a.json().getAsJsonObject().has("Token")) {
            this.session = a.json().getAsJsonObject().get("Token").getAsString();
        }
    }

    /** Logs in with credentials from secure storage for this service URL. */
    public void authenticate(EnvoyCredentialStore store) throws java.io.IOException {
        EnvoyCredentialStore.Credentials c = store.load(baseUrl())
                .orElseThrow(() -> new AuthenticationError("no Envoy credentials stored for " + baseUrl()));
        authenticate(c.email(), c.accessKey());
    }

    /** The e-mail address last authenticated, or null. */
    public String email() {
        return email;
    }

    /**
     * Checks that the current user is still accepted.
     *
     * @return true
     * @throws AuthenticationError when not
     */
    public boolean validateAuth() {
        transport.get("/user-info", headers());
        return true;
    }

    /** The available credits of the current user. */
    public double creditsAvailable() {
        JsonElement j = transport.get("/credits-info", headers()).json();
        if (!j.isJsonObject()) {
            throw new APIError("unreadable answer from /credits-info", 200, null);
        }
        JsonObject o = j.getAsJsonObject();
        if (o.has("data") && o.get("data").isJsonObject()) {
            o = o.getAsJsonObject("data");
        }
        return o.has("credits_available") ? o.get("credits_available").getAsDouble() : 0;
    }

    /**
     * @return true when credits are positive
     * @throws InsufficientCreditsError otherwise
     */
    public boolean validateCredits() {
        double credits = creditsAvailable();
        if (credits <= 0) {
            throw new InsufficientCreditsError(credits);
        }
        return true;
    }

    /** The current user's account. */
    public UserInfo getUserInfo() {
        JsonElement j = transport.get("/user-info", headers()).json();
        if (!j.isJsonObject()) {
            throw new APIError("unreadable answer from /user-info", 200, null);
        }
        return EnvoyBodies.userInfo(j.getAsJsonObject());
    }

    /** A resolver over the service's products as they are now. */
    public ProductResolver getProductResolver() {
        return new ProductResolver(EnvoyBodies.products(transport.get("/products", headers()).json()));
    }

    /**
     * Machine types for a product and operation ({@code GET /machines}, designed by Tessera).
     *
     * @param plugins plugin codes the machines must support; may be empty
     */
    public List<Machine> getMachines(String product, String operation, MachineCategory category, List<String> plugins) {
        String query = "?product=" + enc(product) + "&operation=" + enc(operation) + "&category=" + category.wireName()
                + (plugins == null || plugins.isEmpty() ? "" : "&plugins=" + enc(String.join(",", plugins)));
        return EnvoyBodies.machines(transport.get("/machines" + query, headers()).json());
    }

    /**
     * Asks Envoy to upload the project's files (it reads them from disk); check progress with
     * {@link #getProjectStatus}.
     *
     * @return the project name (the remote root's last part)
     */
    public String uploadProjectFiles(Project project) {
        validateAuth();
        validateCredits();
        JsonElement j = transport.post("/upload", EnvoyBodies.upload(project), headers(), false).json();
        return id(j, project.name());
    }

    /**
     * Sends one local file into the service's project store over HTTP ({@code PUT /transfer/...},
     * designed by Tessera, not in the public protocol): for a Tessera gateway on another machine,
     * which cannot read this machine's disk as {@link #uploadProjectFiles} expects. The body streams
     * from disk; memory use does not depend on the file size.
     * <p>
     * Resumable: the client first asks ({@code GET /transfer/...}) how many bytes the service has
     * staged from an earlier, cut-off attempt and sends only the rest; when the connection fails
     * it resumes the same way, up to the client's retry count, with backoff.
     *
     * @param file a regular local file
     * @param remotePath {@code <project>/<path in the project>}, e.g. {@code shot1/scene.pov}
     * @return the bytes the final, successful request carried (less than the file's size when it
     *         resumed staged bytes)
     * @throws InvalidRequestError when the service refuses the name or the offset
     * @throws APIError when the service stays unreachable or fails
     */
    public long transferFile(Path file, String remotePath) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InvalidRequestError("cannot read " + file + ": " + e.getMessage());
        }
        StringBuilder path = new StringBuilder("/transfer");
        for (String segment : remotePath.replaceAll("^/+", "").split("/")) {
            path.append('/').append(enc(segment).replace("+", "%20"));
        }
        for (int attempt = 0;; attempt++) {
            if (attempt > 0) {
                transport.pauseBeforeRetry(attempt);
            }
            JsonElement staged = transport.get(path.toString(), headers()).json();
            long offset = staged.isJsonObject() && staged.getAsJsonObject().has("BytesStaged")
                    ? staged.getAsJsonObject().get("BytesStaged").getAsLong() : 0;
            if (offset > size) {
                offset = 0;
            }
            Map<String, String> h = headers();
            h.put("X-Transfer-Total", String.valueOf(size));
            h.put("X-Transfer-Offset", String.valueOf(offset));
            try {
                transport.putFile(path.toString(), file, offset, size - offset, h);
                return size - offset;
            } catch (APIError e) {
                if (e.status() != 0 || attempt >= transport.retries()) {
                    throw e;
                }
            }
        }
    }

    /**
     * Sends every file of the project with {@link #transferFile} (designed by Tessera), one after
     * the other, into {@code /<name>/...} on the service: the upload for a gateway that cannot read
     * the local disk. Validates auth and credits first, like {@link #uploadProjectFiles}.
     *
     * @return the project name
     */
    public String transferProjectFiles(Project project) {
        validateAuth();
        validateCredits();
        for (Project.FileGroup group : project.fileGroups()) {
            String remote = group.remoteFolder().replaceAll("^/+", "").replaceAll("/+$", "");
            for (String name : group.files()) {
                transferFile(group.localFolder().resolve(name), remote + "/" + name);
            }
        }
        return project.name();
    }

    /** Uploads the project's files and submits its jobs. @return the project name */
    public String submitProject(Project project) {
        return submitProject(project, false);
    }

    /**
     * Submits the project's jobs; with {@code skipUpload} the files must already be on the service.
     *
     * @return the project name, for {@link #getProjectStatus}
     * @throws InvalidRequestError carrying the service's error list when it refuses the jobs
     */
    public String submitProject(Project project, boolean skipUpload) {
        if (project.jobs().isEmpty()) {
            throw new InvalidRequestError("project " + project.name() + " has no jobs");
        }
        validateAuth();
        validateCredits();
        EnvoyTransport.Answer a = transport.post("/project-submit", EnvoyBodies.submit(project, skipUpload), headers(), false);
        return id(a.json(), project.name());
    }

    private static String id(JsonElement j, String fallback) {
        if (j.isJsonObject() && j.getAsJsonObject().has("ID")) {
            return j.getAsJsonObject().get("ID").getAsString();
        }
        return fallback;
    }

    /**
     * The project's upload and render state.
     *
     * @param projectName the bare project name ({@link Project#name()})
     * @throws InvalidRequestError (404) when the service does not know the project
     */
    public ProjectStatus getProjectStatus(String projectName) {
        JsonElement j = transport.get("/project-status/" + enc(projectName).replace("+", "%20"), headers()).json();
        if (!j.isJsonObject()) {
            throw new APIError("unreadable answer from /project-status", 200, null);
        }
        return EnvoyBodies.status(j.getAsJsonObject());
    }

    /**
     * Lets the project's jobs that were suspended at their credits budget go on
     * ({@code POST /project-resume/{name}}, designed by Tessera), each from its first frame not yet
     * rendered; each gets its submitted budget once more on top of what it consumed.
     *
     * @return the ids of the resumed jobs
     * @throws InvalidRequestError when no job of the project is suspended (409) or it is unknown (404)
     */
    public List<String> resumeProject(String projectName) {
        return resume(projectName, new JsonObject());
    }

    /**
     * Like {@link #resumeProject(String)}, with a new budget for every resumed job.
     *
     * @param credits the new limit, more than each job consumed so far
     * @param action what happens when the new limit is reached
     */
    public List<String> resumeProject(String projectName, double credits, CreditsBudgetAction action) {
        JsonObject budget = new JsonObject();
        budget.addProperty("credits", credits);
        budget.addProperty("action", action.wireName());
        JsonObject body = new JsonObject();
        body.add("credits_budget", budget);
        return resume(projectName, body);
    }

    private List<String> resume(String projectName, JsonObject body) {
        JsonElement j = transport.post("/project-resume/" + enc(projectName).replace("+", "%20"), body, headers(), false)
                .json();
        List<String> ids = new java.util.ArrayList<>();
        if (j.isJsonObject() && j.getAsJsonObject().has("Resumed")) {
            j.getAsJsonObject().getAsJsonArray("Resumed").forEach(e -> ids.add(e.getAsString()));
        }
        return ids;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "EnvoyClient[" + baseUrl() + (email == null ? "" : ", " + email) + "]";
    }
}
