// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.tessera.cluster.core.NodeInfo;
import org.tessera.cluster.core.NodeProtocol;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

/**
 * Reads node servers' own reports ({@link NodeProtocol#INFO}) for the node table, all nodes at once.
 * The cluster service keeps no per-node report of its own, so the view asks the nodes, the way
 * {@code tessera cluster status} does; the master's node token (from the workbench's secure storage through
 * {@link org.tessera.core.Credentials}) travels in the Authorization header only.
 */
final class NodeReports {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Gson GSON = new Gson();

    private NodeReports() {
    }

    /** Reports of the nodes ({@code host:port}) that answered within 3 s; the others are left out. */
    static Map<String, NodeInfo> read(List<String> addresses) throws InterruptedException {
        String token = org.tessera.core.Credentials.lookup(NodeReports.class, org.tessera.core.Credentials.CLUSTER_TOKEN).orElse(null);
        Map<String, CompletableFuture<HttpResponse<String>>> calls = new LinkedHashMap<>();
        for (String a : addresses) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + a + NodeProtocol.INFO))
                    .timeout(Duration.ofSeconds(3)).GET();
            if (token != null && !token.isBlank()) {
                b.header("Authorization", "Bearer " + token);
            }
            calls.put(a, HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<String, NodeInfo> reports = new LinkedHashMap<>();
        for (var e : calls.entrySet()) {
            try {
                HttpResponse<String> r = e.getValue().get();
                if (r.statusCode() == 200) {
                    NodeInfo info = GSON.fromJson(r.body(), NodeInfo.class);
                    if (info != null) {
                        reports.put(e.getKey(), info);
                    }
                }
            } catch (java.util.concurrent.ExecutionException | JsonParseException ex) {
                // a node that does not answer keeps its last values; its state comes from the service
            }
        }
        return reports;
    }
}
