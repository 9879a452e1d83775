// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

/**
 * One job thread of a node in one hour ({@code _rrClientStats_day_data_hourly_jobthread}).
 *
 * @param framesDone frames done in this hour (UInt16)
 * @param jobCrashed times a job crashed (UInt8)
 * @param jobAborted times a job was aborted (UInt8)
 * @param jobSuccessful times a job rendered successfully (UInt8)
 */
public record HourlyJobThread(int framesDone, int jobCrashed, int jobAborted, int jobSuccessful) {
}
