// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.tessera.internal.tracker.core.XmlRpcCodec;
import org.tessera.internal.tracker.core.XmlRpcFault;

/**
 * A {@link RenderTracker} on the other end of an XML-RPC connection ({@code http://host:port/RPC2}),
 * as HQueue's scripts use one. Faults come back as {@link UnknownProjectException},
 * {@link UnknownFrameException} or {@link TrackerException}; a tracker that does not answer as
 * {@link TrackerUnavailableException}. Thread-safe; connections are kept alive and reused.
 */
public final class RenderTrackerClient implements RenderTracker {
    /** The port {@code tessera tracker serve} uses when none is given. */
    public static final int DEFAULT_PORT = 5050;

    private static final Map<String, RenderTrackerClient> CACHE = new ConcurrentHashMap<>();

    private final URI uri;
    private final String authorization;
    private final HttpClient http;
    private final Duration timeout;

    private RenderTrackerClient(URI uri, String token, Duration timeout) {
        this.uri = uri;
        this.authorization = token == null || token.isBlank() ? null : "Bearer " + token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    /** A client for the tracker at this {@code /RPC2} URI; nothing is sent until the first call. */
    public static RenderTrackerClient connect(URI rpcUri, String token) {
        return new RenderTrackerClient(rpcUri, token, Duration.ofSeconds(60));
    }

    /** {@code http://machine:port/RPC2}; a null port means {@link #DEFAULT_PORT}. */
    public static URI uri(String machine, Integer port) {
        String host = machine.contains(":") && !machine.startsWith("[") ? "[" + machine + "]" : machine;
        return URI.create("http://" + host + ":" + (port == null ? DEFAULT_PORT : port) + "/RPC2");
    }

    /**
     * HQueue's {@code getConnection}: a client for the tracker on {@code machine}, or null when no
     * tracker answers {@link #isRunning()} there. May return the client cached by an earlier
     * successful call.
     */
    public static RenderTrackerClient getConnection(String machine, Integer port) {
        return getConnection(machine, port, null);
    }

    /** {@link #getConnection(String, Integer)} with an access token. */
    public static RenderTrackerClient getConnection(String machine, Integer port, String token) {
        URI u = uri(machine, port);
        String key = u + "|" + (token == null ? "" : Integer.toHexString(token.hashCode()));
        RenderTrackerClient client = CACHE.computeIfAbsent(key, k -> connect(u, token));
        try {
            if (client.isRunning()) {
                return client;
            }
        } catch (TrackerException e) {
            // not a tracker, or not reachable
        }
        CACHE.remove(key, client);
        return null;
    }

    /**
     * Why {@link #getConnection(String, Integer, String)} gives no client for this tracker: the message of
     * the failure of a fresh {@code isRunning()} call ({@link TrackerAuthenticationException} when the
     * tracker refused the token), or null when a tracker answers after all.
     */
    public static TrackerUnavailableException whyUnavailable(String machine, Integer port, String token) {
        try {
            return connect(uri(machine, port), token).isRunning() ? null
                    : new TrackerUnavailableException("the render tracker at " + uri(machine, port) + " is not running", null);
        } catch (TrackerUnavailableException e) {
            return e;
        } catch (TrackerException e) {
            return new TrackerUnavailableException("no render tracker answers at " + uri(machine, port) + ": " + e.getMessage(), e);
        }
    }

    /** The {@code /RPC2} URI this client talks to. */
    public URI uri() {
        return uri;
    }

    /** Calls any method by name with XML-RPC values; the decoded result. */
    public Object call(String method, Object... params) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(XmlRpcCodec.call(method, Arrays.asList(params))));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response;
        try {
            response = send(request.build());
        } catch (IOException e) {
            throw new TrackerUnavailableException("no render tracker answers at " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackerUnavailableException("interrupted while calling " + method + " at " + uri, e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new TrackerAuthenticationException("the render tracker at " + uri + " refused the access token (HTTP "
                    + response.statusCode() + (authorization == null ? ", none was given" : "")
                    + "): give the token the tracker was started with (--token, or the environment variable TESSERA_TRACKER_TOKEN)");
        }
        if (response.statusCode() != 200) {
            String text = new String(response.body(), StandardCharsets.UTF_8).strip();
            throw new TrackerUnavailableException("render tracker at " + uri + " answered HTTP " + response.statusCode()
                    + (text.isEmpty() ? "" : ": " + text), null);
        }
        try {
            return XmlRpcCodec.parseResponse(new ByteArrayInputStream(response.body()));
        } catch (XmlRpcCodec.ResponseFault f) {
            throw switch (f.code()) {
                case UnknownProjectException.FAULT_CODE -> UnknownProjectException.fromMessage(f.getMessage());
                case UnknownFrameException.FAULT_CODE -> UnknownFrameException.fromMessage(f.getMessage());
                default -> new TrackerException(f.code(), f.getMessage());
            };
        } catch (XmlRpcFault f) {
            throw new TrackerUnavailableException("render tracker at " + uri + " sent a bad answer: " + f.getMessage(), f);
        }
    }

    /**
     * Sends once more on a fresh connection when a kept-alive one turned out closed by the server
     * (HTTP/1.0 servers such as Python's SimpleXMLRPCServer close after each answer), as Python's
     * own xmlrpc.client does.
     */
    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.http.HttpTimeoutException | java.net.ConnectException e) {
            throw e;
        } catch (IOException e) {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private <T> T call(Class<T> type, String method, Object... params) {
        Object v = call(method, params);
        if (type == Long.class && v instanceof Integer i) {
            return type.cast(i.longValue());
        }
        if (type == Double.class && v instanceof Integer i) {
            return type.cast(i.doubleValue());
        }
        if (v != null && !type.isInstance(v)) {
            throw new TrackerUnavailableException(method + " answered " + v.getClass().getSimpleName() + ", expected "
                    + type.getSimpleName(), null);
        }
        return type.cast(v);
    }

    @Override
    public void startedRenderProject(String projectName, List<Integer> frameNumbers, boolean generateIfds, JobId jobId) {
        call("startedRenderProject", projectName, new ArrayList<>(frameNumbers), generateIfds, jobId.value());
    }

    @Override
    public void startedGeneratingFrameIFD(String projectName, int frameNumber) {
        call("startedGeneratingFrameIFD", projectName, frameNumber);
    }

    @Override
    public void endedGeneratingFrameIFD(String projectName, int frameNumber) {
        call("endedGeneratingFrameIFD", projectName, frameNumber);
    }

    @Override
    public void startedFrameRender(String projectName, int frameNumber, JobId jobId, String imagePath) {
        call("startedFrameRender", projectName, frameNumber, jobId.value(), imagePath == null ? "" : imagePath);
    }

    @Override
    public void setFrameRenderFraction(String projectName, int frameNumber, double fraction) {
        call("setFrameRenderFraction", projectName, frameNumber, fraction);
    }

    @Override
    public void setFrameDownloadFraction(String projectName, int frameNumber, double fraction) {
        call("setFrameDownloadFraction", projectName, frameNumber, fraction);
    }

    @Override
    public void setFrameError(String projectName, int frameNumber, String errorMessage) {
        call("setFrameError", projectName, frameNumber, errorMessage);
    }

    @Override
    public void setProjectError(String projectName, String errorMessage) {
        call("setProjectError", projectName, errorMessage);
    }

    @Override
    public List<String> getAllProjects() {
        List<String> names = new ArrayList<>();
        for (Object o : call(List.class, "getAllProjects")) {
            names.add(String.valueOf(o));
        }
        return names;
    }

    @Override
    public List<FrameInfo> getAllFramesInfo(String projectName) {
        return frames(call(List.class, "getAllFramesInfo", projectName));
    }

    private static List<FrameInfo> frames(List<?> tuples) {
        List<FrameInfo> out = new ArrayList<>(tuples.size());
        for (Object o : tuples) {
            List<?> t = (List<?>) o;
            out.add(new FrameInfo(((Number) t.get(0)).intValue(), FrameStatus.ofIndex(((Number) t.get(1)).intValue()),
                    ((Number) t.get(2)).doubleValue()));
        }
        return out;
    }

    @Override
    public FrameChanges getChangedFrames(String projectName, long sinceEventId) {
        Map<?, ?> m = call(Map.class, "getChangedFrames", projectName, sinceEventId);
        return new FrameChanges(frames((List<?>) m.get("changes")), ((Number) m.get("event_id")).longValue());
    }

    @Override
    public double getEstimatedRenderSecondsLeft(String projectName) {
        return call(Double.class, "getEstimatedRenderSecondsLeft", projectName);
    }

    @Override
    public JobId getFrameJobID(String projectName, int frameNumber) {
        Object v = call("getFrameJobID", projectName, frameNumber);
        if (v instanceof Integer || v instanceof Long) {
            return JobId.of(((Number) v).longValue());
        }
        if (v instanceof String s) {
            return JobId.of(s);
        }
        throw new TrackerUnavailableException("getFrameJobID answered " + (v == null ? "nil" : v.getClass().getSimpleName())
                + ", expected a number or a string", null);
    }

    @Override
    public String getFrameLog(String projectName, int frameNumber) {
        return call(String.class, "getFrameLog", projectName, frameNumber);
    }

    @Override
    public String getImagePath(String projectName, int frameNumber) {
        return call(String.class, "getImagePath", projectName, frameNumber);
    }

    @Override
    public boolean isProjectDone(String projectName) {
        return call(Boolean.class, "isProjectDone", projectName);
    }

    @Override
    public boolean isProjectRunning(String projectName) {
        return call(Boolean.class, "isProjectRunning", projectName);
    }

    @Override
    public boolean isRunning() {
        return Boolean.TRUE.equals(call(Boolean.class, "isRunning"));
    }

    @Override
    public boolean removeProject(String projectName) {
        return call(Boolean.class, "removeProject", projectName);
    }

    @Override
    public String suggestInactiveProjectName(String requestedProjectName) {
        return call(String.class, "suggestInactiveProjectName", requestedProjectName);
    }

    @Override
    public boolean doesProjectGenerateIFDs(String projectName) {
        return call(Boolean.class, "doesProjectGenerateIFDs", projectName);
    }

    @Override
    public long incrementAndGetLastEventId() {
        return call(Long.class, "incrementAndGetLastEventId");
    }
}
