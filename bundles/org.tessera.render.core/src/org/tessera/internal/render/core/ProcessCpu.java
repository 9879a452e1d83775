// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.time.Duration;

/** CPU time of this process, from the operating system. */
final class ProcessCpu {
    private ProcessCpu() {
    }

    /** Total CPU time of this process in nanoseconds, or -1 when the OS does not tell. */
    static long nanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
}
