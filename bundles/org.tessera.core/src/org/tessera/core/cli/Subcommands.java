// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.cli;

import java.util.List;

/**
 * Runs the {@link Subcommand}s other bundles add to a verb: the verb injects them (a dynamic, multiple DS
 * reference with the target {@code (tessera.verb=<verb>)}) and hands a word it does not know to {@link #run}.
 *
 * @since 0.2
 */
public final class Subcommands {
    private Subcommands() {
    }

    /**
     * Runs the added subcommand {@code name} of {@code verb} with the words after it.
     *
     * @param added the subcommands the verb's reference holds (null: none)
     * @param known the verb's own subcommands, for the message when there is no such subcommand
     * @throws UsageException no subcommand of that name ({@code bench}: the benchmarks bundle is missing)
     */
    public static int run(String verb, List<Subcommand> added, String name, List<String> rest, VerbContext context,
            String known) throws Exception {
        for (Subcommand s : added == null ? List.<Subcommand>of() : added) {
            if (s.name().equals(name)) {
                return s.run(rest, context);
            }
        }
        if (name.equals("bench")) {
            throw new UsageException("'" + verb + " bench' needs the org.tessera.bench bundle, which is not installed");
        }
        throw new UsageException("unknown subcommand '" + name + "': use " + known);
    }
}
