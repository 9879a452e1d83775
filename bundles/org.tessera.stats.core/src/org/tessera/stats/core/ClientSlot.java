// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.util.List;

/**
 * One 30-second slot of a node's day ({@code _rrClientStats_day_data}).
 *
 * @param hasData the slot was set
 * @param userLoggedIn a user was logged in
 * @param cpuTotal CPU use of the system, 1.0 = 100 % (stored in 1/10000)
 * @param gpuTotal GPU use of the system, 1.0 = 100 % (stored in 1/10000)
 * @param memTotal10MB memory in use, units of 10 MiB
 * @param networkInMB MiB received (-1 when not measured)
 * @param networkOutMB MiB sent (-1 when not measured)
 * @param networkInSpeedMaxMB maximum MiB/s (0 when not measured)
 * @param jobThreads the job threads running in this slot
 */
public record ClientSlot(boolean hasData, boolean userLoggedIn, float cpuTotal, float gpuTotal, int memTotal10MB,
        int networkInMB, int networkOutMB, int networkInSpeedMaxMB, List<JobThreadSample> jobThreads) {

    public ClientSlot {
        jobThreads = List.copyOf(jobThreads);
    }

    public static final ClientSlot EMPTY = new ClientSlot(false, false, 0, 0, 0, -1, -1, 0, List.of());

    public int jobThreadCount() {
        return jobThreads.size();
    }
}
