// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.bench;

import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tessera.core.cli.Subcommand;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;

/** {@code tessera node bench}: {@link ClusterBench}, added to the node verb. */
@Component(service = Subcommand.class, property = Subcommand.PARENT + "=node")
public class NodeBenchSubcommand implements Subcommand {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "time ClusterService.start() and the speed test on N node servers in this process";
    }

    @Override
    public String usage() {
        return "Usage: tessera node bench [--nodes N] [--bytes N]\n" + summary() + " (docs/performance.md).";
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        return ClusterBench.run(VerbArguments.parse(args, Set.of("nodes", "bytes"), Set.of()), context);
    }
}
