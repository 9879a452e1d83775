// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import static org.tessera.internal.cloud.gateway.GatewayHttp.answer;
import static org.tessera.internal.cloud.gateway.GatewayHttp.method;
import static org.tessera.internal.cloud.gateway.GatewayHttp.query;

import java.util.List;
import java.util.function.Supplier;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.tessera.http.HttpExchange;

/**
 * What a user may ask about their account and the farm: {@code /credits-info}, {@code /user-info},
 * {@code /products} (the engines the farm renders with) and {@code /machines}.
 */
final class AccountRoutes {
    private final UserLedger ledger;
    private final GatewaySessions sessions;
    private final Supplier<FarmRenderer> renderer;

    AccountRoutes(UserLedger ledger, GatewaySessions sessions, Supplier<FarmRenderer> renderer) {
        this.ledger = ledger;
        this.sessions = sessions;
        this.renderer = renderer;
    }

    /** The products the farm offers now: one per installed render engine; none without a renderer. */
    List<FarmRenderer.EngineProduct> offered() {
        FarmRenderer r = renderer.get();
        return r == null ? List.of() : r.products();
    }

    void creditsInfo(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "GET");
            UserLedger.User u = ledger.user(sessions.user(x)).orElseThrow();
            JsonObject o = new JsonObject();
            o.addProperty("credits_available", u.creditsAvailable);
            o.addProperty("credits_consumed", u.creditsConsumed);
            return o;
        });
    }

    void userInfo(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "GET");
            UserLedger.User u = ledger.user(sessions.user(x)).orElseThrow();
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

    void products(HttpExchange exchange) {
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

    void machines(HttpExchange exchange) {
        answer(exchange, 200, x -> {
            method(x, "GET");
            sessions.user(x);
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
}
