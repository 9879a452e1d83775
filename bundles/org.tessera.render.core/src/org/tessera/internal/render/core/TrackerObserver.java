// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.tessera.render.core.JobState;
import org.tessera.tracker.core.RenderTracker;

/**
 * Mirrors a render job into the {@link RenderTracker}: the project with its frames, each frame's start
 * (with its image path), its render fraction as tiles land, done (rendered and "downloaded": the file is
 * written) or its error. The tracker is looked up on every call (it is an optional dynamic service);
 * a tracker failure never fails the render.
 */
final class TrackerObserver implements RenderJobRun.Observer {
    private final Supplier<RenderTracker> tracker;
    private final String project;
    private long jobNumber;
    private Map<Integer, Path> files = Map.of();

    TrackerObserver(Supplier<RenderTracker> tracker, String project) {
        this.tracker = tracker;
        this.project = project;
    }

    /** The tracker's numeric job id for a job id like {@code job-1a2b3c4d}. */
    static long jobNumber(String jobId) {
        String hex = jobId.replaceFirst("^job-", "");
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            return jobId.hashCode() & 0xFFFFFFFFL;
        }
    }

    @Override
    public void jobStarted(String jobId, List<Integer> frames, List<Integer> skipped, Map<Integer, Path> frameFiles) {
        jobNumber = jobNumber(jobId);
        files = frameFiles;
        RenderTracker t = tracker.get();
        if (t == null) {
            return;
        }
        t.startedRenderProject(project, frames, false, jobNumber);
        for (int f : skipped) { // resumed: already on disk
            t.startedFrameRender(project, f, jobNumber, path(f));
            t.setFrameRenderFraction(project, f, 1.0);
            t.setFrameDownloadFraction(project, f, 1.0);
        }
    }

    private String path(int frame) {
        Path p = files.get(frame);
        return p == null ? "" : p.toString();
    }

    @Override
    public void frameStarted(int frame, Path file) {
        RenderTracker t = tracker.get();
        if (t != null) {
            t.startedFrameRender(project, frame, jobNumber, file.toString());
        }
    }

    @Override
    public void frameProgress(int frame, double fraction) {
        RenderTracker t = tracker.get();
        if (t != null) {
            t.setFrameRenderFraction(project, frame, fraction);
        }
    }

    @Override
    public void frameWritten(int frame, Path file) {
        RenderTracker t = tracker.get();
        if (t != null) {
            t.setFrameRenderFraction(project, frame, 1.0);
            t.setFrameDownloadFraction(project, frame, 1.0); // the frame file is on the master's disk: done
        }
    }

    @Override
    public void jobEnded(JobState state, String error, List<Integer> unfinished, List<Integer> started) {
        RenderTracker t = tracker.get();
        if (t == null || state == JobState.FINISHED) {
            return;
        }
        String message = state == JobState.CANCELLED ? "cancelled" : error == null ? "render failed" : error;
        for (int f : unfinished) {
            try {
                t.setFrameError(project, f, message);
            } catch (RuntimeException e) {
                // a frame the tracker does not know: go on with the others
            }
        }
        if (state == JobState.FAILED && unfinished.size() == files.size()) {
            // nothing of the job is on disk: the whole project failed (frames already done keep their state otherwise)
            t.setProjectError(project, message);
        }
    }
}
