// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.bench;

import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.Subcommand;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;

/** {@code tessera gateway bench}: {@link TransferBenchmark}, added to the gateway verb. */
@Component(service = Subcommand.class, property = Subcommand.PARENT + "=gateway")
public class GatewayBenchSubcommand implements Subcommand {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "upload throughput against a raw loopback socket copy, in the same run";
    }

    @Override
    public String usage() {
        return "Usage: tessera gateway bench [--size-mb 1024] [--rounds 7]\n" + summary()
                + ": POST /upload (the gateway reads localRoot) and PUT /transfer (HTTP body).";
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        VerbArguments a = VerbArguments.parse(args, Set.of("size-mb", "rounds"), Set.of());
        new TransferBenchmark(context.out()).run(a.intValue("size-mb", 1024, 1, 65536), a.intValue("rounds", 7, 1, 100));
        return ExitCodes.OK;
    }
}
