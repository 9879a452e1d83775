// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.tessera.http.HttpExchange;

/**
 * The gateway's HTTP plumbing, shared by its routes: JSON bodies in (size-limited, objects only), JSON
 * answers out, a {@link Refusal} turned into Envoy's error body with its status, and any other failure
 * into a 500 with a message (never a stack trace).
 */
final class GatewayHttp {
    static final long MAX_JSON_BYTES = 16L * 1024 * 1024;

    /** One route's work: the JSON to answer, or a refusal. */
    @FunctionalInterface
    interface Handler {
        JsonElement handle(HttpExchange exchange) throws Refusal, IOException;
    }

    private GatewayHttp() {
    }

    static void answer(HttpExchange exchange, int okStatus, Handler handler) {
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

    static void method(HttpExchange exchange, String... allowed) throws Refusal {
        for (String m : allowed) {
            if (m.equals(exchange.method())) {
                return;
            }
        }
        throw new Refusal(405, exchange.method() + " not allowed on " + exchange.path());
    }

    static JsonObject jsonBody(HttpExchange exchange) throws Refusal, IOException {
        return jsonBody(exchange, false);
    }

    /** The body as a JSON object; with {@code optional}, an empty body is an empty object. */
    static JsonObject jsonBody(HttpExchange exchange, boolean optional) throws Refusal, IOException {
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

    /** The rest of the path after {@code prefix}, %-decoded once ({@code my%20shot}; a '+' stays a '+'). */
    static String pathName(HttpExchange x, String prefix) throws Refusal {
        try {
            return SafePaths.percentDecode(x.path().substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, e.getMessage());
        }
    }

    /** The query string's parameters, %-decoded. */
    static Map<String, String> query(HttpExchange x) {
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

    static String string(JsonObject o, String key) {
        return SubmissionParser.string(o, key);
    }
}
