// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.core;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tracks the progress of render projects, frame by frame: HQueue's {@code rendertracker.RPCService},
 * with the same operation names, argument order and meaning. A project is identified by a unique
 * name (e.g. the path of the scene on the file server) and has a fixed set of frames; starting a
 * project with a name in use replaces the old one. Every change gets an event id from one counter
 * that only grows, so a watcher can ask for {@link #getChangedFrames changes since} the last id it saw.
 * <p>
 * Frame numbers may be negative. Fractions are 0.0–1.0; values above 1.0 up to 100 are read as
 * percentages (Mantra sends {@code 100.0} when a frame is finished); NaN, negative or larger values are
 * refused with a {@link TrackerException}. Operations on a project or frame that does not exist throw
 * {@link UnknownProjectException} / {@link UnknownFrameException}, except the queries documented to
 * answer false. When a mutating operation returns, the change is stored durably.
 */
@ProviderType
public interface RenderTracker {

    /**
     * Records that a project started: every frame {@link FrameStatus#WAITING}. Replaces a project of
     * the same name.
     *
     * @param frameNumbers the project's frames (duplicates are ignored; at least one)
     * @param generateIfds whether IFDs are generated before rendering
     * @param jobId the farm's job generating IFDs or submitting the render jobs, number or text as sent
     */
    void startedRenderProject(String projectName, List<Integer> frameNumbers, boolean generateIfds, JobId jobId);

    /** {@link #startedRenderProject(String, List, boolean, JobId)} with HQueue's whole-number job id. */
    default void startedRenderProject(String projectName, List<Integer> frameNumbers, boolean generateIfds, long jobId) {
        startedRenderProject(projectName, frameNumbers, generateIfds, JobId.of(jobId));
    }

    /** Records that an IFD is being generated for a frame ({@link FrameStatus#GENERATING_IFD}). */
    void startedGeneratingFrameIFD(String projectName, int frameNumber);

    /** Records that a frame's IFD is finished ({@link FrameStatus#IFD_READY}). */
    void endedGeneratingFrameIFD(String projectName, int frameNumber);

    /**
     * Records that a frame starts rendering ({@link FrameStatus#RENDERING}, fraction 0).
     *
     * @param jobId the farm's job rendering the frame, number or text as sent
     * @param imagePath the full path of the output image on the server
     */
    void startedFrameRender(String projectName, int frameNumber, JobId jobId, String imagePath);

    /** {@link #startedFrameRender(String, int, JobId, String)} with HQueue's whole-number job id. */
    default void startedFrameRender(String projectName, int frameNumber, long jobId, String imagePath) {
        startedFrameRender(projectName, frameNumber, JobId.of(jobId), imagePath);
    }

    /** Sets how much of a frame is rendered; 1.0 (or 100) makes it {@link FrameStatus#RENDERED}. */
    void setFrameRenderFraction(String projectName, int frameNumber, double fraction);

    /** Sets how much of a frame's image is downloaded; 1.0 (or 100) makes it {@link FrameStatus#DONE}. */
    void setFrameDownloadFraction(String projectName, int frameNumber, double fraction);

    /** Marks a frame as failed ({@link FrameStatus#ERROR}) with a message, which goes to its log. */
    void setFrameError(String projectName, int frameNumber, String errorMessage);

    /** Marks every frame of the project as failed with the message. */
    void setProjectError(String projectName, String errorMessage);

    /** All project names, sorted; finished projects included. */
    List<String> getAllProjects();

    /** Every frame of the project, sorted by frame number. */
    List<FrameInfo> getAllFramesInfo(String projectName);

    /**
     * The frames that changed after {@code sinceEventId} (0 for all frames), and the id to pass next
     * time. No change is missed or repeated across calls, whatever writers do concurrently.
     */
    FrameChanges getChangedFrames(String projectName, long sinceEventId);

    /**
     * Estimated seconds until every frame is complete, or -1 when nothing measured allows an estimate
     * yet; 0 when the project is done. The formula is in {@code docs/tracker.md}.
     */
    double getEstimatedRenderSecondsLeft(String projectName);

    /**
     * The job id of a frame, of the kind it was sent as (number or text): the project's job until
     * {@link #startedFrameRender} sets the frame's own.
     */
    JobId getFrameJobID(String projectName, int frameNumber);

    /** The frame's log of notable events, one line each: ISO-8601 UTC time, two spaces, message. */
    String getFrameLog(String projectName, int frameNumber);

    /** The path of the frame's output image, or null when not set. */
    String getImagePath(String projectName, int frameNumber);

    /** Whether every frame is complete ({@link FrameStatus#isComplete()}). The project must exist. */
    boolean isProjectDone(String projectName);

    /** Whether the project exists and some frame is not yet final ({@link FrameStatus#isFinal()}). */
    boolean isProjectRunning(String projectName);

    /** True for a real tracker (HQueue's dummy connection answers false). */
    boolean isRunning();

    /** Forgets a project; false when there was none of that name. */
    boolean removeProject(String projectName);

    /**
     * A project name not being rendered: the requested one when no running project has it, else the
     * first free of {@code "name (2)"}, {@code "name (3)"}...
     */
    String suggestInactiveProjectName(String requestedProjectName);

    /** Whether the project generates IFDs; false for an unknown project. */
    boolean doesProjectGenerateIFDs(String projectName);

    /** Takes the next event id from the tracker's counter (no frame changes). */
    long incrementAndGetLastEventId();

    /**
     * HQueue's formula for a project name from a user and the local path of the scene:
     * {@code "<user>:<path>"} with backslashes turned into slashes and surrounding blanks trimmed
     * ({@code "ann", "C:\shots\a.hip"} → {@code "ann:C:/shots/a.hip"}). Not unique by itself: ask
     * {@link #suggestInactiveProjectName} for a free name.
     */
    static String applyProjectNameFormula(String user, String localPath) {
        String u = user == null || user.isBlank() ? "unknown" : user.trim();
        String p = localPath == null ? "" : localPath.trim().replace('\\', '/');
        return u + ":" + p;
    }
}
