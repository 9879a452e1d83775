// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.core;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.tessera.cloud.core.APIError;
import org.tessera.cloud.core.AuthenticationError;
import org.tessera.cloud.core.InsufficientCreditsError;
import org.tessera.cloud.core.InvalidRequestError;

/**
 * HTTP for the Envoy client: JSON in and out, the REFERENCE.md error mapping, and retries with
 * exponential backoff on transport failures (and 503) for idempotent requests only.
 */
public final class EnvoyTransport implements AutoCloseable {
    /** A status and the parsed JSON answer (JsonNull when the body was empty or not JSON). */
    public record Answer(int status, JsonElement json, String text) {
    }

    private final URI base;
    private final CloseableHttpClient http;
    private final int retries;
    private final Duration backoff;

    public EnvoyTransport(URI base, int retries, Duration backoff) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.retries = retries;
        this.backoff = backoff;
        this.http = HttpClients.custom().disableAutomaticRetries().disableRedirectHandling()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(10))
                                .setSocketTimeout(Timeout.ofMinutes(5)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofMinutes(5)).build())
                .build();
    }

    public URI base() {
        return base;
    }

    public Answer get(String path, Map<String, String> headers) {
        return send(new HttpGet(base + path), headers, true);
    }

    /** POST; {@code idempotent} allows retries (only for requests that change nothing twice). */
    public Answer post(String path, JsonElement body, Map<String, String> headers, boolean idempotent) {
        HttpPost post = new HttpPost(base + path);
        post.setEntity(new StringEntity(body.toString(), ContentType.APPLICATION_JSON));
        return send(post, headers, idempotent);
    }

    /**
     * PUT of the bytes of {@code file} from {@code offset} to its end, streamed from disk (never
     * held in memory); not retried here (the caller resumes from what the service staged).
     */
    public Answer putFile(String path, Path file, long offset, long length, Map<String, String> headers) {
        HttpPut put = new HttpPut(base + path);
        put.setEntity(new FileRegionEntity(file, offset, length));
        return send(put, headers, false);
    }

    private Answer send(HttpUriRequestBase request, Map<String, String> headers, boolean idempotent) {
        headers.forEach(request::setHeader);
        String url = request.getRequestUri();
        int attempts = idempotent ? retries + 1 : 1;
        IOException last = null;
        Answer answer = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (attempt > 0) {
                sleep(backoff.multipliedBy(1L << Math.min(attempt - 1, 10)));
            }
            try {
                answer = http.execute(request, response -> {
                    String text = response.getEntity() == null ? ""
                            : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
                    return new Answer(response.getCode(), parse(text), text);
                });
                last = null;
                if (answer.status() != 503) {
                    break;
                }
            } catch (IOException e) {
                last = e;
                request.reset();
            }
        }
        if (last != null) {
            throw new APIError("cannot reach Envoy at " + base + " (" + last.getMessage() + "): start Envoy and retry", 0, last);
        }
        return check(answer, base + pathOf(url));
    }

    private static String pathOf(String uri) {
        return uri.startsWith("http") ? URI.create(uri).getRawPath() : uri;
    }

    private static JsonElement parse(String text) {
        if (text.isBlank()) {
            return com.google.gson.JsonNull.INSTANCE;
        }
        try {
            return JsonParser.parseString(text);
        } catch (RuntimeException e) {
            return com.google.gson.JsonNull.INSTANCE;
        }
    }

    private static Answer check(Answer a, String url) {
        int s = a.status();
        if (s >= 200 && s < 300) {
            return a;
        }
        String message = message(a);
        if (s == 401 || s == 403) {
            throw new AuthenticationError("authentication failed: " + message);
        }
        if (s == 402) {
            double credits = a.json().isJsonObject() ? EnvoyBodies.number(a.json().getAsJsonObject(), "credits_available") : 0;
            throw new InsufficientCreditsError(credits);
        }
        if (s == 404) {
            throw new InvalidRequestError("404: " + url + " not found" + (message.isBlank() ? "" : " (" + message + ")"));
        }
        if (s >= 400 && s < 500) {
            throw new InvalidRequestError(s + ": " + message, errors(a, message));
        }
        throw new APIError("Envoy answered " + s + " for " + url + ": " + message, s, null);
    }

    private static String message(Answer a) {
        if (a.json().isJsonObject()) {
            JsonObject o = a.json().getAsJsonObject();
            for (String key : new String[] {"Message", "message", "error"}) {
                if (o.has(key) && o.get(key).isJsonPrimitive()) {
                    return o.get(key).getAsString();
                }
            }
        }
        String t = a.text().strip();
        return t.length() > 500 ? t.substring(0, 500) + "..." : t;
    }

    private static List<String> errors(Answer a, String message) {
        List<String> list = new ArrayList<>();
        if (a.json().isJsonObject()) {
            JsonElement e = a.json().getAsJsonObject().get("errors");
            if (e != null && e.isJsonArray()) {
                e.getAsJsonArray().forEach(x -> list.add(x.isJsonPrimitive() ? x.getAsString() : x.toString()));
            }
        }
        if (list.isEmpty()) {
            list.add(message);
        }
        return list;
    }

    /** How often a failed idempotent call is repeated. */
    public int retries() {
        return retries;
    }

    /** Waits before retry number {@code attempt} (1, 2, …): the backoff, doubled each time. */
    public void pauseBeforeRetry(int attempt) {
        sleep(backoff.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 10)));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new APIError("interrupted while waiting to retry", 0, e);
        }
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
