// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.tessera.http.HttpEndpoint;

/**
 * The Envoy-compatible service: the public Envoy paths plus Tessera's {@code /machines},
 * {@code /projects} and {@code /transfer/...}. Like Envoy it is a local agent: {@code /upload}
 * names files under a {@code localRoot} that the gateway reads itself and streams into the
 * farm's project store ({@code <data>/projects/<name>/...}); submissions become render jobs run in
 * dependency order; results go to the remote output folder and are copied into the watch folders
 * whose pattern they match. Every request is validated completely before anything is stored.
 * <p>
 * This class only wires the parts, each with one job, and routes the paths to them:
 * {@link GatewaySessions} (who is calling: {@code /auth}, sessions, credits check),
 * {@link AccountRoutes} (account and farm information), {@link ProjectStore} (project names, records,
 * file copies into the store, project listing and status), {@link UploadPlan} and
 * {@link SubmissionParser} (validation), {@link SubmissionRoutes} (upload, submit, resume: the job graph),
 * {@link JobRunner} (running the jobs on the farm and billing them), {@link ResultDelivery} (results into
 * watch folders), {@link TransferRoute} (resumable HTTP transfers) and {@link GatewayHttp} (JSON in and out,
 * refusals as Envoy error bodies).
 */
public final class EnvoyGateway implements AutoCloseable {
    /** Network read buffer per connection: {@code PUT /transfer} bodies arrive in chunks this large. */
    public static final int TRANSFER_BUFFER = 1 << 20;

    private final UserLedger ledger;
    private final GatewaySessions sessions;
    private final AccountRoutes account;
    private final ProjectStore store;
    private final SubmissionRoutes submissions;
    private final TransferRoute transfers;
    private HttpEndpoint endpoint;

    /**
     * @param data the gateway's data folder (users, project store, staging)
     * @param renderer the farm, or a supplier answering null when no renderer is installed
     * @param creditsPerNodeSecond what one node-second of rendering costs
     */
    public EnvoyGateway(Path data, Supplier<FarmRenderer> renderer, double creditsPerNodeSecond) throws IOException {
        Path folder = data.toAbsolutePath().normalize();
        this.ledger = new UserLedger(folder);
        this.sessions = new GatewaySessions(ledger);
        this.account = new AccountRoutes(ledger, sessions, renderer);
        this.store = new ProjectStore(folder, sessions);
        JobRunner jobRunner = new JobRunner(folder.resolve("projects"), ledger, renderer, creditsPerNodeSecond);
        this.submissions = new SubmissionRoutes(sessions, store, jobRunner, account::offered);
        this.transfers = new TransferRoute(sessions, store);
    }

    static Thread daemon(Runnable r, String name) {
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
        b.route("/auth", sessions::auth);
        b.route("/credits-info", account::creditsInfo);
        b.route("/user-info", account::userInfo);
        b.route("/products", account::products);
        b.route("/machines", account::machines);
        b.route("/projects", store::projectList);
        b.route("/upload", submissions::upload);
        b.route("/project-submit", submissions::submit);
        b.route("/project-status/*", store::status);
        b.route("/project-resume/*", submissions::resume);
        b.route("/transfer/*", transfers::transfer);
        endpoint = b.start();
        return endpoint;
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        store.close();
        submissions.close();
    }
}
