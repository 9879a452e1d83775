// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import static org.tessera.internal.cloud.gateway.GatewayHttp.answer;
import static org.tessera.internal.cloud.gateway.GatewayHttp.jsonBody;
import static org.tessera.internal.cloud.gateway.GatewayHttp.method;
import static org.tessera.internal.cloud.gateway.GatewayHttp.string;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.google.gson.JsonObject;

import org.tessera.http.HttpExchange;

/**
 * Who is calling: {@code POST /auth} checks an e-mail address and access key against the ledger and
 * hands out a session token; every other route asks {@link #user} for the logged-in user and, for work
 * that costs, {@link #requireCredits}.
 */
final class GatewaySessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserLedger ledger;
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> addressSessions = new ConcurrentHashMap<>();
    private final Map<String, String> addressTokens = new ConcurrentHashMap<>();

    GatewaySessions(UserLedger ledger) {
        this.ledger = ledger;
    }

    /** {@code POST /auth}: {@code {Username, AccessKey}} to {@code {Message, Token}}. */
    void auth(HttpExchange exchange) {
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

    /**
     * The logged-in user: the {@code X-Envoy-Session} header's session; without the header (the public
     * Python client sends none), the last login from the client's address, but only while the gateway
     * has exactly one user: with several, any local process could act as the last one who logged in.
     */
    String user(HttpExchange exchange) throws Refusal, IOException {
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

    /** {@code email} when the user has credits left; a 402 refusal otherwise. */
    String requireCredits(String email) throws Refusal, IOException {
        double credits = ledger.user(email).map(u -> u.creditsAvailable).orElse(0.0);
        if (credits <= 0) {
            throw new Refusal(402, "insufficient credits: " + credits + " available");
        }
        return email;
    }
}
