// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.core;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

import org.tessera.cloud.core.AuthenticationError;
import org.tessera.cloud.core.EnvoyClient;
import org.tessera.cloud.core.EnvoyCredentialStore;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;

/**
 * Options and login shared by the cloud verbs: {@code --url}, {@code --email}; the access key comes
 * from the environment ({@value #KEY_ENV}) or from Eclipse secure storage, never from the command
 * line, so it does not show in process lists.
 */
final class CloudLogin {
    static final String KEY_ENV = "TESSERA_ENVOY_ACCESS_KEY";
    static final String EMAIL_ENV = "TESSERA_ENVOY_EMAIL";
    static final String STORAGE_PASSWORD_ENV = "TESSERA_SECURE_STORAGE_PASSWORD";
    static final Set<String> OPTIONS = Set.of("url", "email", "secure-storage", "access-key-file");
    static final Set<String> FLAGS = Set.of("save-credentials");
    static final String HELP = """
              --url URL            Envoy service (default http://localhost:8090)
              --email ADDRESS      login; the access key is read from $TESSERA_ENVOY_ACCESS_KEY
              --access-key-file F  read the access key from file F instead
              --save-credentials   keep e-mail and key in Eclipse secure storage for next time
              --secure-storage F   use secure storage file F (password in
                                   $TESSERA_SECURE_STORAGE_PASSWORD) instead of the default one""";

    private CloudLogin() {
    }

    static URI url(VerbArguments args) {
        return URI.create(args.value("url", EnvoyClient.DEFAULT_URL.toString()));
    }

    private static EnvoyCredentialStore store(VerbArguments args, VerbContext context) throws IOException {
        Optional<String> file = args.value("secure-storage");
        if (file.isPresent()) {
            String password = System.getenv(STORAGE_PASSWORD_ENV);
            if (password == null) {
                throw new AuthenticationError("set $" + STORAGE_PASSWORD_ENV + " to open " + file.get());
            }
            return EnvoyCredentialStore.open(context.resolve(file.get()), password.toCharArray());
        }
        return EnvoyCredentialStore.defaultStore();
    }

    /** A client logged in with the given or stored credentials. */
    static EnvoyClient login(VerbArguments args, VerbContext context) throws IOException {
        EnvoyClient client = new EnvoyClient(url(args));
        String email = args.value("email").orElse(System.getenv(EMAIL_ENV));
        String key = System.getenv(KEY_ENV);
        if (args.value("access-key-file").isPresent()) {
            key = java.nio.file.Files.readString(context.resolve(args.value("access-key-file").get())).strip();
        }
        try {
            if (email != null && key != null) {
                client.authenticate(email, key);
                if (args.flag("save-credentials")) {
                    store(args, context).save(client.baseUrl(), new EnvoyCredentialStore.Credentials(email, key));
                }
            } else {
                client.authenticate(store(args, context));
            }
            return client;
        } catch (RuntimeException | IOException e) {
            client.close();
            throw e;
        }
    }

}
