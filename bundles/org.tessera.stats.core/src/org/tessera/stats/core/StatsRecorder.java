// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes the stats files as the farm runs. The DS component listens to {@link StatsTopics}; the
 * same facts can be fed through these methods. Files are flushed periodically and on
 * {@link #flush()}, each atomically (write a temporary file, then rename), so a crash never leaves a
 * torn file. Layout under {@link #folder()}: {@code daily/<yyyy-MM-dd>.tds}, {@code server_stats.db},
 * {@code client/<node>.tcs}, {@code frames/<job>.tfs}, {@code renderTimes.db}, {@code clientIPstats.db}.
 * All times are milliseconds since 1970; stats slots use the local time zone.
 */
@ProviderType
public interface StatsRecorder {

    /** Folder the files are written to. */
    Path folder();

    void jobStarted(String job, String project, String user, String app, long timeMillis);

    /** @param state final state, e.g. DONE, FAILED, CANCELLED */
    void jobFinished(String job, String project, String user, String app, String state, long timeMillis);

    /**
     * @param renderMillis render time of the frame
     * @param memoryMB peak memory of the render, MiB
     * @param cpuPercent CPU use of the render, 0-100 per machine
     */
    void frameFinished(String job, String project, String layer, int frame, String node, long renderMillis,
            long memoryMB, double cpuPercent, long timeMillis);

    /** A tile of a frame finished on a node after {@code millis} ms. */
    void tileFinished(String job, String project, int frame, String node, long millis, long timeMillis);

    /** @param cpuPercent machine CPU use, 0-100 */
    void heartbeat(String node, double cpuPercent, long memoryUsedMB, long memoryTotalMB, long timeMillis);

    /** Writes every changed file now. */
    void flush() throws IOException;
}
