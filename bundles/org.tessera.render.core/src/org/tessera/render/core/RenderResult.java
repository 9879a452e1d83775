// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of a job.
 *
 * @param jobId         the job
 * @param state         FINISHED, FAILED or CANCELLED
 * @param written       frame files written by this run, in frame order
 * @param skipped       frames skipped because their file already existed
 * @param error         why the job failed, or {@code null}
 * @param tilesRendered tiles accepted into frames
 * @param tilesRetried  tiles handed to a worker again after a failure or a malformed answer
 * @param millis        wall time of the job in milliseconds
 */
public record RenderResult(String jobId, JobState state, List<Path> written, List<Integer> skipped, String error,
        int tilesRendered, int tilesRetried, long millis) {
}
