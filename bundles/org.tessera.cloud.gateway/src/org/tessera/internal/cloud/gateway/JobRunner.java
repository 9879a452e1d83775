// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runs a submission's jobs in dependency order on the farm, charges every finished frame, applies
 * credits budgets and delivers results into the watch folders. Whatever fails, every job and the
 * project end in a final state with a message saying what failed.
 */
final class JobRunner {
    private final Path store;
    private final UserLedger ledger;
    private final Supplier<FarmRenderer> renderer;
    private final double creditsPerNodeSecond;

    JobRunner(Path store, UserLedger ledger, Supplier<FarmRenderer> renderer, double creditsPerNodeSecond) {
        this.store = store;
        this.ledger = ledger;
        this.renderer = renderer;
        this.creditsPerNodeSecond = creditsPerNodeSecond;
    }

    void runJobs(ProjectRecord record, String email, Map<Pattern, Path> watch) {
        try {
            runJobsInOrder(record, email, watch);
        } catch (Throwable t) {
            // whatever failed, the project ends with a message; it never stays Rendering
            record.jobs.stream().filter(j -> !j.finished()).forEach(j -> {
                j.state = "Failed";
                j.message = "gateway failed: " + t;
            });
            record.state = "Failed";
            record.message = "Jobs failed: " + t;
        }
    }

    private void runJobsInOrder(ProjectRecord record, String email, Map<Pattern, Path> watch) {
        if (record.uploadFailed()) {
            record.jobs.forEach(j -> {
                j.state = "Failed";
                j.message = "project files did not upload";
            });
            record.state = "Failed";
            return;
        }
        record.state = "Rendering";
        record.message = "Jobs are rendering.";
        List<JobRun> pending = new ArrayList<>(record.jobs);
        while (!pending.isEmpty()) {
            JobRun next = null;
            for (JobRun j : pending) {
                List<JobRun> deps = record.jobs.stream().filter(d -> j.dependencyIds.contains(d.id)).toList();
                if (deps.stream().allMatch(d -> d.state.equals("Completed"))) {
                    next = j;
                    break;
                }
                // behind a suspended job a job waits: it runs when that one is resumed and completes
                if (deps.stream().anyMatch(d -> d.finished() && !d.state.equals("Completed") && !d.state.equals("Suspended"))) {
                    j.state = "Failed";
                    j.message = "a job it depends on did not complete";
                    next = j;
                    break;
                }
            }
            if (next == null) {
                break; // what is left waits behind a suspended job
            }
            pending.remove(next);
            if (!next.finished()) {
                runJob(record, email, next, watch);
            }
        }
        boolean allOk = record.jobs.stream().allMatch(j -> j.state.equals("Completed"));
        record.state = allOk ? "Completed" : record.jobs.stream().anyMatch(j -> j.state.equals("Stopped")) ? "Stopped"
                : record.jobs.stream().anyMatch(j -> j.state.equals("Suspended")) ? "Suspended" : "Failed";
        record.message = allOk ? "All jobs completed."
                : record.state.equals("Suspended") ? "Suspended at a credits budget: POST /project-resume/" + record.name
                        + " to go on." : "Some jobs did not complete: " + String.join("; ", record.jobs.stream()
                                .filter(j -> !j.state.equals("Completed")).map(j -> j.name + ": " + j.state
                                        + (j.message.isEmpty() ? "" : " (" + j.message + ")")).toList());
    }

    private void runJob(ProjectRecord record, String email, JobRun job, Map<Pattern, Path> watch) {
        FarmRenderer farm = renderer.get();
        if (farm == null) {
            job.state = "Failed";
            job.message = "no renderer installed on this farm";
            return;
        }
        
        Path scene = store.resolve(job.scene).normalize();
        Path outputRoot = store.resolve(job.outputDir).normalize();
        Path output = outputRoot.resolve(SubmissionParser.jobFolder(job.name)).normalize();
        if (!scene.startsWith(store.resolve(record.name)) || !Files.isRegularFile(scene)) {
            job.state = "Failed";
            job.message = "job file /" + job.scene + " was not uploaded";
            return;
        }
        job.state = "Rendering";
        // counted again from the output folder: frames a suspended run already wrote are reported first
        job.framesDone = 0;
        try {
            Files.createDirectories(output);
            farm.render(scene, job.app, job.frames, job.instances, job.params, output, (frame, file, nodeSeconds) -> {
                double cost = nodeSeconds * creditsPerNodeSecond;
                job.framesDone++;
                job.creditsConsumed += cost;
                double left;
                try {
                    left = ledger.charge(email, cost);
                } catch (IOException e) {
                    left = 1;
                }
                List<String> failed = ResultDelivery.deliver(store, outputRoot, file, watch);
                if (!failed.isEmpty()) {
                    job.deliveryFailures.addAll(failed);
                    record.deliveryFailures.addAll(failed);
                }
                if (left <= 0) {
                    job.cancelled = true;
                    job.message = "user credits exhausted";
                }
                if (job.budget != null && job.creditsConsumed >= job.budget) {
                    switch (job.budgetAction) {
                    case STOP -> {
                        job.cancelled = true;
                        job.message = "credits budget " + job.budget + " reached: stopped";
                    }
                    case SUSPEND -> {
                        job.suspended = true;
                        job.message = "credits budget " + job.budget + " reached: suspended after frame " + frame
                                + "; resume with POST /project-resume/" + record.name;
                    }
                    case ALERT -> {
                        if (!job.alerted) {
                            job.alerted = true;
                            String alert = String.format(java.util.Locale.ROOT,
                                    "job '%s': credits budget %s reached (%.4f consumed after frame %d); the job goes on",
                                    job.name, job.budget, job.creditsConsumed, frame);
                            record.alerts.add(alert);
                            job.message = "alert: " + alert;
                        }
                    }
                    }
                }
            }, () -> job.cancelled || job.suspended);
            // a budget reached on the last frame leaves nothing to stop or suspend
            job.state = job.framesDone >= job.frames.count() ? "Completed"
                    : job.cancelled ? "Stopped" : job.suspended ? "Suspended" : "Failed";
            if (job.state.equals("Completed") && (job.message.isEmpty() || job.message.startsWith("resumed"))) {
                job.message = "rendered " + job.framesDone + " frames";
            }
            if (!job.deliveryFailures.isEmpty()) {
                job.state = "Failed";
                job.message = "rendered " + job.framesDone + " frames, but " + job.deliveryFailures.size()
                        + " result(s) were not delivered: " + job.deliveryFailures.get(0);
            }
        } catch (Exception e) {
            job.state = job.cancelled ? "Stopped" : "Failed";
            job.message = job.cancelled ? job.message : "render failed: " + e.getMessage();
        } catch (OutOfMemoryError e) {
            job.state = "Failed";
            job.message = "render failed: not enough memory for " + job.params.getOrDefault("output_width", "?") + "x"
                    + job.params.getOrDefault("output_height", "?") + " (" + e.getMessage() + ")";
        }
    }
}
