// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

/**
 * One slot of the server stats rings ({@code _rrGlobalStats_item}). A slot covers 90 s (day ring),
 * 30 min (month ring) or 6 h (year ring). Memory in MiB, temperatures in °C, CPU in percent
 * (0-100), frame time in seconds.
 *
 * @param slotUsed the slot holds valid data
 * @param clientsNeeded nodes needed to start every unassigned segment
 * @param framesPerMin frames rendered per minute in this slot
 * @param framesPerMin3D same, 3D jobs only
 * @param framesPerMinComp same, comp jobs only
 * @param framesPerMinArchive same, archive jobs only
 * @param clientsFree free nodes
 * @param clientsRendering nodes rendering
 * @param clientsDisabled disabled nodes
 * @param cpuProcess CPU use of the server process, %
 * @param cpuMachine CPU use of the server machine, %
 * @param serverTemperature server disk temperature, °C
 * @param clientsAvTemperature average node disk temperature, °C
 * @param jobsUnfinished unfinished jobs
 * @param jobsRendering jobs rendering
 * @param jobsTotal all jobs
 * @param serverMemUsageMachine server machine memory in use, MiB
 * @param serverMemUsageProcess server process memory, MiB
 * @param serverMemUsageTcpSocket first TCP socket buffer, MiB
 * @param serverMemUsageTcpData second TCP socket buffer, MiB
 * @param serverMemUsageJobBuffer memory for all job data, MiB
 * @param serverMemUsageTcpDataCompressed largest TCP buffer after compression, MiB
 * @param frameTime average frame time of all jobs, seconds
 * @param framesLeft frames left over all jobs
 */
public record ServerStatsItem(boolean slotUsed, float clientsNeeded, float framesPerMin, long framesPerMin3D,
        long framesPerMinComp, long framesPerMinArchive, int clientsFree, int clientsRendering, int clientsDisabled,
        int cpuProcess, int cpuMachine, int serverTemperature, int clientsAvTemperature, long jobsUnfinished,
        long jobsRendering, long jobsTotal, long serverMemUsageMachine, long serverMemUsageProcess,
        long serverMemUsageTcpSocket, long serverMemUsageTcpData, long serverMemUsageJobBuffer,
        long serverMemUsageTcpDataCompressed, long frameTime, long framesLeft) {

    /** Bytes per slot in a file. */
    public static final int SIZE = 80;

    /** An unused slot. */
    public static final ServerStatsItem EMPTY = new ServerStatsItem(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0);
}
