// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.cli;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One verb of the {@code tessera} command line ({@code tessera <name> args...}). Bundles register
 * implementations as OSGi services; the CLI application finds them by {@link #name()}.
 * A verb writes results to {@link VerbContext#out()}, problems to {@link VerbContext#err()}, and
 * returns an exit code from {@link ExitCodes}.
 */
@ConsumerType
public interface Verb {

    /** The word typed after {@code tessera}, lower case, e.g. {@code "frames"}. */
    String name();

    /** One line for {@code tessera help}. */
    String summary();

    /** Full help: synopsis, options, examples. Shown by {@code tessera <name> --help}. */
    String usage();

    /**
     * Runs the verb.
     *
     * @param args the words after the verb name
     * @return an exit code, {@link ExitCodes#OK} on success
     * @throws UsageException when the arguments are wrong (exit code {@link ExitCodes#USAGE})
     * @throws Exception any other failure (exit code {@link ExitCodes#FAILURE}, message on stderr)
     */
    int run(List<String> args, VerbContext context) throws Exception;
}
