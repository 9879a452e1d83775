// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

/**
 * One 15-minute slot of a user's, project's or render app's job stats ({@code _jobStat}). PS is a
 * "processing slot" (one render thread on one node). Memory in MiB, frame times in seconds.
 *
 * @param slotSet true if this slot holds data
 * @param avPSUsage average PS in use
 * @param maxPSUsage maximum PS in use
 * @param psNeeded PS needed to render every unassigned segment now
 * @param renderLicNeeded render licences needed for every unassigned segment
 * @param jobsWaiting jobs in wait state (UInt16)
 * @param jobsDisabled jobs disabled (UInt16)
 * @param jobsIdle jobs idle (UInt16)
 * @param jobsRendering jobs rendering (UInt16)
 * @param jobsDone jobs done (UInt16)
 * @param timesSended times a job was sent to a node (UInt16)
 * @param timesFinished times a job finished (UInt16)
 * @param avMemUsageMB average memory per frame, MiB (UInt32)
 * @param maxMemUsageMB maximum memory per frame, MiB (UInt32)
 * @param avFrameTime average frame time, seconds (UInt32)
 * @param maxFrameTime maximum frame time, seconds (UInt32)
 * @param framesRendered frames rendered in these 15 minutes (UInt32)
 * @param framesLeft frames left to render (UInt32)
 */
public record JobStat(boolean slotSet, float avPSUsage, float maxPSUsage, float psNeeded, float renderLicNeeded,
        int jobsWaiting, int jobsDisabled, int jobsIdle, int jobsRendering, int jobsDone, int timesSended,
        int timesFinished, long avMemUsageMB, long maxMemUsageMB, long avFrameTime, long maxFrameTime,
        long framesRendered, long framesLeft) {

    /** Bytes per slot in a file. */
    public static final int SIZE = 56;

    /** An unset slot. */
    public static final JobStat EMPTY = new JobStat(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
