// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;

/** {@code tessera tracker bench}. */
final class TrackerBench {
    private TrackerBench() {
    }

    static int run(VerbArguments args, VerbContext context) {
        context.err().println("bench: not built yet");
        return ExitCodes.FAILURE;
    }
}
