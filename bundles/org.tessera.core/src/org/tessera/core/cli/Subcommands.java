// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link Subcommand}s other bundles add to one verb: the verb binds them (a DS reference with the target
 * {@code (tessera.verb=<verb>)}) and hands an unknown word to {@link #run}.
 *
 * @since 0.2
 */
public final class Subcommands {
    private final String verb;
    private final List<Subcommand> added = new CopyOnWriteArrayList<>();

    public Subcommands(String verb) {
        this.verb = verb;
    }

    public void add(Subcommand subcommand) {
        added.add(subcommand);
    }

    public void remove(Subcommand subcommand) {
        added.remove(subcommand);
    }

    /**
     * Runs the added subcommand {@code name} with the words after it.
     *
     * @param known the verb's own subcommands, for the message when there is no such subcommand
     * @throws UsageException no subcommand of that name ({@code bench}: the benchmarks bundle is missing)
     */
    public int run(String name, List<String> rest, VerbContext context, String known) throws Exception {
        for (Subcommand s : added) {
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
