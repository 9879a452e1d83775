// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

/**
 * One job thread of a node in one 30-second slot ({@code _rrClientStats_day_data_jobthread}).
 *
 * @param status job status byte (Tessera: 0 none, 1 rendering, 2 done, 3 failed)
 * @param cpuRender CPU use of the job, 1.0 = 100 % (stored in 1/10000)
 * @param memRender10MB memory of the render job in units of 10 MiB
 * @param jobIDShort job id truncated to 32 bits
 */
public record JobThreadSample(int status, float cpuRender, int memRender10MB, long jobIDShort) {
    /** The job id as the seed's {@code jobIDShortStr()}: {@code {ID}} in hex. */
    public String jobIDShortStr() {
        return "{" + Long.toHexString(jobIDShort).toUpperCase() + "}";
    }
}
