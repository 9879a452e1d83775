// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.bench;

import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tessera.core.cli.Subcommand;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;

/** {@code tessera tracker bench}: {@link TrackerBench}, added to the tracker verb. */
@Component(service = Subcommand.class, property = Subcommand.PARENT + "=tracker")
public class TrackerBenchSubcommand implements Subcommand {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "XML-RPC update throughput and getChangedFrames latency against a Python baseline";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera tracker bench [--projects 100] [--frames 1000] [--clients 8] [--seconds 5] [--python python3]
                                             [--selectors N] [--rounds 3]
                Measures Tessera's tracker (H2, kill -9 durable) against a Python SimpleXMLRPCServer stand-in
                under the same load, in --rounds alternating pairs of runs (median ratio and spread).
                --selectors sets the endpoint's I/O threads (default: one per core, at most 4).
                See docs/tracker.md, "Benchmark".""";
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        return TrackerBench.run(VerbArguments.parse(args,
                Set.of("projects", "frames", "clients", "seconds", "python", "selectors", "rounds"), Set.of()), context);
    }
}
