// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

/**
 * One fifth of a frame's render ({@code _frameStat_part}): a 10-minute frame has five 2-minute parts.
 *
 * @param jobMemoryMB memory of the job, MiB (UInt16)
 * @param jobCPU CPU use of the job, 1.0 = 100 % (stored in 1/10000)
 * @param nonJobCPU other CPU use of the machine, 1.0 = 100 %
 * @param renderThreads job threads rendering on the node at that moment (UInt8)
 */
public record FramePart(int jobMemoryMB, float jobCPU, float nonJobCPU, int renderThreads) {
}
