// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.NodeInfo;
import org.tessera.cluster.core.NodeProtocol;

import com.google.gson.Gson;

/**
 * The master's side of the node protocol, over the JDK's HTTP client. Every call is asynchronous and
 * bounded by the request timeout; the access token travels only in the Authorization header and is
 * never part of a message or log line.
 */
public final class NodeClient {
    private static final Gson GSON = new Gson();

    private final HttpClient http;
    private final String token;
    private final String masterId;
    private final Duration requestTimeout;

    /** A status and body from a node. */
    public record Reply(int status, byte[] body) {
        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        public boolean ok() {
            return status / 100 == 2;
        }

        /** The node's {@code error} field, or the status line when there is none. */
        public String error() {
            try {
                ErrorBody e = GSON.fromJson(text(), ErrorBody.class);
                if (e != null && e.error != null) {
                    return e.error;
                }
            } catch (RuntimeException ignored) {
                // not JSON: fall through
            }
            return "HTTP " + status;
        }
    }

    private static final class ErrorBody {
        String error;
    }

    public NodeClient(Executor executor, Duration connectTimeout, Duration requestTimeout, String token, String masterId) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .executor(executor).build();
        this.token = token == null || token.isBlank() ? null : token;
        this.masterId = masterId;
        this.requestTimeout = requestTimeout;
    }

    public static URI uri(ClusterNode node, String pathAndQuery) {
        String host = node.host().indexOf(':') >= 0 ? "[" + node.host().replace("%", "%25") + "]" : node.host();
        return URI.create("http://" + host + ":" + node.port() + pathAndQuery);
    }

    private HttpRequest.Builder request(ClusterNode node, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(node, path)).timeout(requestTimeout)
                .header(NodeProtocol.MASTER_HEADER, masterId);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    public CompletableFuture<Reply> get(ClusterNode node, String path) {
        return http.sendAsync(request(node, path).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> new Reply(r.statusCode(), r.body()));
    }

    public CompletableFuture<Reply> post(ClusterNode node, String path, Map<String, ?> json) {
        return postBytes(node, path, GSON.toJson(json).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json");
    }

    public CompletableFuture<Reply> postBytes(ClusterNode node, String path, byte[] body, String contentType) {
        return http.sendAsync(request(node, path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> new Reply(r.statusCode(), r.body()));
    }

    /** The node's info; fails when the node does not answer 200. */
    public CompletableFuture<NodeInfo> info(ClusterNode node) {
        return get(node, NodeProtocol.INFO).thenApply(r -> {
            if (!r.ok()) {
                throw new NodeException(r.status == 401 ? "access token refused (401): start the master with the node's token"
                        : r.error());
            }
            NodeInfo info = GSON.fromJson(r.text(), NodeInfo.class);
            if (info == null) {
                throw new NodeException("empty info");
            }
            return info;
        });
    }

    /** A node answered, but not as hoped. */
    public static final class NodeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NodeException(String message) {
            super(message);
        }
    }

    public static <T> T fromJson(Reply r, Class<T> type) {
        return GSON.fromJson(r.text(), type);
    }

    /** A short reason for a failed call, without stack or token. */
    public static String reason(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof java.net.ConnectException) {
            return "connection refused (is `tessera node serve` running there?)";
        }
        if (t instanceof java.net.http.HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (t instanceof java.net.http.HttpTimeoutException) {
            return "no answer within the request timeout";
        }
        if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
