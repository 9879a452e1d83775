// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tessera.core.cli.Subcommand;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;

/** {@code tessera stats bench [--dir <folder>]}: {@link StatsBench}, added to the stats verb. */
@Component(service = Subcommand.class, property = Subcommand.PARENT + "=stats")
public class StatsBenchSubcommand implements Subcommand {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "decode speed of stats files against plain file reads";
    }

    @Override
    public String usage() {
        return "Usage: tessera stats bench [--dir <folder>]   (docs/stats-format.md)";
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        Path dir = VerbArguments.parse(args, Set.of("dir"), Set.of()).value("dir").map(context::resolve).orElse(null);
        return StatsBench.run(dir, context.out());
    }
}
