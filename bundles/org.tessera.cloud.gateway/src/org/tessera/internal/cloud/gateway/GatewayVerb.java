// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tessera.core.ProvidedSecret;
import org.tessera.core.ServerEndpoint;
import org.tessera.core.ServerEndpoints;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.Subcommand;
import org.tessera.core.cli.Subcommands;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;
import org.tessera.http.HttpEndpoint;

/** {@code tessera gateway serve | user add}: the Envoy-compatible gateway of this farm. */
@Component(service = Verb.class)
public class GatewayVerb implements Verb {
    /** Default port, the one Envoy uses. */
    public static final int DEFAULT_PORT = 8090;

    @Reference
    private ConfigurationAdmin configAdmin;

    private BundleContext bundleContext;

    /** Subcommands other bundles add ({@code tessera gateway bench}: the org.tessera.bench bundle). */
    @Reference(target = "(" + Subcommand.PARENT + "=gateway)", cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    private volatile List<Subcommand> subcommands;

    @Activate
    void activate(BundleContext context) {
        bundleContext = context;
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public String summary() {
        return "run the Envoy-compatible gateway, or add a gateway user";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera gateway serve [--port 8090] [--host 127.0.0.1] [--token-file F] [--data DIR]
                                             [--credits-per-node-second 0.01]
                       tessera gateway user add <email> [--credits 100] [--data DIR]
                       tessera gateway bench [--size-mb 1024] [--rounds 7]

                serve     answers the Envoy HTTP protocol (see docs/envoy-gateway.md) until stopped: creates
                          a configuration of org.tessera.cloud.gateway (docs/configuration.md) and waits;
                          --port 0 picks a free port. Binding off loopback needs an access token:
                          --token-file F (a file only you can read, chmod 600) or the environment
                          variable TESSERA_GATEWAY_TOKEN. --token T works too, but anyone on the
                          machine can read it in `ps`.
                user add  creates (or re-keys) a user and prints the new access key once.
                bench     upload throughput against a raw loopback socket copy, in the same run:
                          POST /upload (the gateway reads localRoot) and PUT /transfer (HTTP body).
                --data    the gateway's folder: users, project store, staging
                          (default ~/.tessera/gateway)""";
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        if (!args.isEmpty() && !Set.of("serve", "user").contains(args.get(0)) && !args.get(0).startsWith("--")) {
            return Subcommands.run("gateway", subcommands, args.get(0), args.subList(1, args.size()), context, "serve, user add or bench");
        }
        VerbArguments parsed = VerbArguments.parse(args,
                Set.of("port", "host", "token", "token-file", "data", "credits", "credits-per-node-second"), Set.of());
        List<String> words = parsed.positionals();
        if (words.isEmpty()) {
            throw new UsageException("missing sub-command: serve or user add");
        }
        Path data = parsed.value("data").map(context::resolve)
                .orElse(Path.of(System.getProperty("user.home"), ".tessera", "gateway"));
        switch (words.get(0)) {
        case "serve" -> {
            if (words.size() != 1) {
                throw new UsageException("serve takes no arguments, got " + words.subList(1, words.size()));
            }
            return serve(parsed, data, context);
        }
        case "user" -> {
            if (words.size() != 3 || !words.get(1).equals("add")) {
                throw new UsageException("usage: tessera gateway user add <email> [--credits N]");
            }
            double credits = number(parsed.value("credits", "100"), "--credits");
            try {
                String key = new UserLedger(data).addUser(words.get(2), credits);
                context.out().println("Access key for " + words.get(2) + ": " + key);
                context.out().println("Credits: " + credits);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
            return ExitCodes.OK;
        }
        default -> throw new UsageException("unknown sub-command '" + words.get(0) + "': use serve or user add");
        }
    }

    private static double number(String text, String what) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException(what + " must be a number, not " + text);
        }
    }

    /** Environment variable holding the gateway's access token (not visible in {@code ps}). */
    public static final String TOKEN_ENV = "TESSERA_GATEWAY_TOKEN";

    /**
     * The access token from {@code --token-file} (0600), else {@link #TOKEN_ENV}, else {@code --token}
     * (kept as an alias; visible to every user in {@code ps}); null for none. A blank one is refused.
     */
    private static String token(VerbArguments parsed, VerbContext context) throws java.io.IOException {
        java.util.Optional<String> file = parsed.value("token-file");
        java.util.Optional<String> option = parsed.value("token");
        if (file.isPresent() && option.isPresent()) {
            throw new UsageException("give the token once: --token-file or --token, not both");
        }
        if (file.isPresent()) {
            try {
                return SecretFiles.readPrivate(context.resolve(file.get()));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
        }
        String env = System.getenv(TOKEN_ENV);
        if (option.isEmpty() && env != null) {
            if (env.isBlank()) {
                throw new UsageException(TOKEN_ENV + " is set but blank: set a token or unset it");
            }
            return env.strip();
        }
        if (option.isPresent() && option.get().isBlank()) {
            throw new UsageException("--token must not be blank");
        }
        return option.orElse(null);
    }

    /**
     * Creates a gateway configuration ({@link GatewayServerComponent#PID}) from the flags, waits until it
     * listens, prints its URL, and deletes the configuration (the gateway stops) when cancelled. A token from
     * the flags or the environment is handed to the component as a {@link ProvidedSecret}, never configured.
     */
    private int serve(VerbArguments parsed, Path data, VerbContext context) throws Exception {
        int port = parsed.intValue("port", DEFAULT_PORT, 0, 65535);
        double rate = number(parsed.value("credits-per-node-second", "0.01"), "--credits-per-node-second");
        String host = parsed.value("host", "127.0.0.1");
        String token = token(parsed, context);
        if (token == null && !HttpEndpoint.isLoopback(host)) {
            throw new UsageException("binding envoy-gateway to " + host
                    + " (not a loopback address) requires an access token");
        }
        String name = "serve-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
        String secretName = GatewayServerComponent.DEFAULT_TOKEN_SECRET + "." + name;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("host", host);
        props.put("port", port);
        props.put("data", data.toAbsolutePath().toString());
        props.put("creditsPerNodeSecond", rate);
        props.put("tokenSecret", token == null ? "" : secretName);
        try (ProvidedSecret secret = token == null ? null : ProvidedSecret.register(bundleContext, secretName, token)) {
            ServerEndpoint endpoint;
            try {
                endpoint = ServerEndpoints.start(configAdmin, GatewayServerComponent.PID, name, props,
                        Duration.ofSeconds(30));
            } catch (ServerEndpoints.ServerStartException e) {
                ServerEndpoints.stop(configAdmin, GatewayServerComponent.PID, name);
                context.err().println(e.getMessage());
                return ExitCodes.UNAVAILABLE;
            }
            try {
                context.out().println("Envoy gateway listening on " + endpoint.url().toString().replaceAll("/$", ""));
                context.out().println("Data folder: " + data.toAbsolutePath());
                context.out().flush();
                while (!context.isCancelled()) {
                    Thread.sleep(200);
                }
            } finally {
                ServerEndpoints.stop(configAdmin, GatewayServerComponent.PID, name);
            }
            return ExitCodes.CANCELLED;
        }
    }
}
