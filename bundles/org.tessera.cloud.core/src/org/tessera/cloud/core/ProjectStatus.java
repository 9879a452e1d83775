// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

import java.util.List;
import java.util.Map;

/**
 * A project's state as {@code GET /project-status/{name}} reports it: upload progress over all its
 * files, per-file details and, from a Tessera gateway, per-job render progress.
 *
 * @param code HTTP-like code the service puts in the body (200)
 * @param state e.g. {@code Uploading}, {@code Uploaded}, {@code Submitted}, {@code Rendering},
 *        {@code Completed}, {@code Failed}, {@code Stopped}
 * @param message human-readable explanation
 * @param bytesDone bytes transferred so far
 * @param bytesTotal bytes to transfer
 * @param speed current transfer speed, bytes per second
 * @param details per remote file path
 * @param jobs per job (empty from services that do not report jobs)
 * @param alerts credits-budget alerts raised while the jobs ran (designed by Tessera: jobs with the
 *        budget action {@link CreditsBudgetAction#ALERT} go on and raise one here); empty from
 *        services that do not report them
 */
public record ProjectStatus(int code, String state, String message, long bytesDone, long bytesTotal, double speed,
        Map<String, FileStatus> details, List<JobStatus> jobs, List<String> alerts) {

    public ProjectStatus {
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
        jobs = List.copyOf(jobs);
        alerts = List.copyOf(alerts);
    }

    /** A status without alerts (services that do not report them). */
    public ProjectStatus(int code, String state, String message, long bytesDone, long bytesTotal, double speed,
            Map<String, FileStatus> details, List<JobStatus> jobs) {
        this(code, state, message, bytesDone, bytesTotal, speed, details, jobs, List.of());
    }

    /** One file's transfer. */
    public record FileStatus(String name, String state, long bytesDone, long bytesTotal, double speed) {
    }

    /**
     * One job's progress (designed by Tessera, not in the public protocol).
     *
     * @param id the job id from the submission
     * @param name job name
     * @param state {@code Waiting}, {@code Rendering}, {@code Completed}, {@code Failed},
     *        {@code Stopped}, {@code Suspended}
     * @param framesDone frames finished
     * @param framesTotal frames in the job
     * @param creditsConsumed credits charged so far
     * @param message explanation of the state
     */
    public record JobStatus(String id, String name, String state, long framesDone, long framesTotal,
            double creditsConsumed, String message) {
    }

    /**
     * Whether the project reached a state it will not leave by itself ({@code Suspended} ones go on
     * when resumed: {@link EnvoyClient#resumeProject}).
     */
    public boolean isFinished() {
        return switch (state) {
        case "Completed", "Failed", "Stopped", "Suspended" -> true;
        default -> false;
        };
    }
}
