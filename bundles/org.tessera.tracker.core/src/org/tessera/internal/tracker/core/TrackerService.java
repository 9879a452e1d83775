// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

import org.tessera.core.TesseraEvents;
import org.tessera.tracker.core.FrameChanges;
import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.FrameStatus;
import org.tessera.tracker.core.JobId;
import org.tessera.tracker.core.RenderTracker;
import org.tessera.tracker.core.TrackerEvents;
import org.tessera.tracker.core.TrackerException;
import org.tessera.tracker.core.UnknownFrameException;
import org.tessera.tracker.core.UnknownProjectException;

/**
 * The render tracker: the state in memory is authoritative and answers every query; every change
 * is made durable through {@link TrackerStore} (journal with group commit) before the call returns,
 * and an event is posted after it is stored.
 * <p>
 * Concurrency: project creation and removal hold the write lock of {@code structure}; frame changes
 * hold its read lock and the project's monitor, take the next id of the one event counter, and
 * queue the store write while still holding the monitor, so the store sees changes in id order per
 * project; the caller then waits for durability without holding anything, so concurrent callers
 * share one journal write. {@link #getChangedFrames} reads under the same monitor and answers with the project's
 * last id, so a change is either in the answer or gets a larger id than the one returned.
 */
public final class TrackerService implements RenderTracker, AutoCloseable {
    /** Receives events after the change is stored (EventAdmin in the DS component). */
    @FunctionalInterface
    public interface EventSink {
        void post(String topic, Map<String, Object> properties);

        EventSink NONE = (topic, properties) -> {
        };
    }

    private static final double LOG_STEP = 0.1;
    /** Lines of a frame's log kept in memory (getFrameLog); the oldest tenth goes when it is full. */
    public static final int MAX_LOG_LINES = 1000;

    private final TrackerStore store;
    private final LongSupplier clock;
    private volatile EventSink events;
    private final Map<String, TrackedProject> projects = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock structure = new ReentrantReadWriteLock();
    private final AtomicLong eventCounter = new AtomicLong();

    /**
     * @param clock milliseconds since the epoch (tests pass their own)
     */
    public TrackerService(TrackerStore store, LongSupplier clock, EventSink events) throws SQLException {
        this.store = store;
        this.clock = clock;
        this.events = events == null ? EventSink.NONE : events;
        TrackerStore.Loaded loaded = store.load();
        for (TrackedProject p : loaded.projects()) {
            projects.put(p.name, p);
        }
        eventCounter.set(loaded.lastEventId());
    }

    /** Opens the store at a JDBC URL and a service on it, with the system clock. */
    public static TrackerService open(String jdbcUrl, EventSink events) throws SQLException {
        return open(jdbcUrl, TrackerStore.Options.DEFAULTS, events);
    }

    /** Opens the store at a JDBC URL with these durability settings and loads the model from it. */
    public static TrackerService open(String jdbcUrl, TrackerStore.Options options, EventSink events) throws SQLException {
        TrackerStore store = TrackerStore.open(jdbcUrl, options);
        try {
            return new TrackerService(store, System::currentTimeMillis, events);
        } catch (SQLException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public TrackerStore store() {
        return store;
    }

    public void setEventSink(EventSink sink) {
        this.events = sink == null ? EventSink.NONE : sink;
    }

    @Override
    public void close() {
        store.close();
    }

    // ------------------------------------------------------------------ changes

    @Override
    public void startedRenderProject(String projectName, List<Integer> frameNumbers, boolean generateIfds, JobId jobId) {
        String name = requireName(projectName);
        requireJobId(jobId);
        if (frameNumbers == null || frameNumbers.isEmpty()) {
            throw TrackerException.invalidArgument("a project needs at least one frame");
        }
        LinkedHashSet<Integer> unique = new LinkedHashSet<>();
        for (Integer n : frameNumbers) {
            if (n == null) {
                throw TrackerException.invalidArgument("frame numbers must be whole numbers");
            }
            unique.add(n);
        }
        long now = clock.getAsLong();
        TrackerStore.Ticket stored;
        TrackedProject p = new TrackedProject(name, generateIfds, jobId, now);
        structure.writeLock().lock();
        try {
            TrackedProject old = projects.get(name);
            if (old != null) {
                synchronized (old) {
                    old.live = false;
                }
            }
            List<TrackedFrame.Row> rows = new ArrayList<>(unique.size());
            List<TrackerStore.Op> ops = new ArrayList<>();
            for (int n : unique) {
                TrackedFrame f = new TrackedFrame(n, jobId);
                f.eventId = eventCounter.incrementAndGet();
                p.lastEventId = f.eventId;
                p.add(f);
                log(p, f, now, "project started (job " + jobId + (generateIfds ? ", generates IFDs)" : ")"), ops);
                rows.add(f.snapshot(name));
            }
            ops.add(0, new TrackerStore.PutProject(p.row(), rows));
            projects.put(name, p);
            stored = store.submit(ops);
        } finally {
            structure.writeLock().unlock();
        }
        await(store, stored);
        Map<String, Object> props = baseEvent(name, p.lastEventId, now);
        props.put(TrackerEvents.FRAME_COUNT, unique.size());
        events.post(TrackerEvents.PROJECT_STARTED, props);
    }

    @Override
    public void startedGeneratingFrameIFD(String projectName, int frameNumber) {
        changeFrame(projectName, frameNumber, (p, f, now, ops) -> setStatus(p, f, FrameStatus.GENERATING_IFD, now,
                "generating IFD", ops));
    }

    @Override
    public void endedGeneratingFrameIFD(String projectName, int frameNumber) {
        changeFrame(projectName, frameNumber, (p, f, now, ops) -> setStatus(p, f, FrameStatus.IFD_READY, now,
                "IFD generated", ops));
    }

    @Override
    public void startedFrameRender(String projectName, int frameNumber, JobId jobId, String imagePath) {
        requireJobId(jobId);
        changeFrame(projectName, frameNumber, (p, f, now, ops) -> {
            f.jobId = jobId;
            f.imagePath = imagePath == null || imagePath.isEmpty() ? null : imagePath;
            f.renderFraction = 0;
            f.downloadFraction = 0;
            f.error = null;
            f.renderStartedMs = now;
            f.renderEndedMs = 0;
            f.status = FrameStatus.RENDERING;
            log(p, f, now, "rendering started (job " + jobId + (f.imagePath == null ? "" : ", image " + f.imagePath) + ")",
                    ops);
            return true;
        });
    }

    @Override
    public void setFrameRenderFraction(String projectName, int frameNumber, double fraction) {
        double value = normalizeFraction(fraction, "render fraction");
        changeFrame(projectName, frameNumber, (p, f, now, ops) -> {
            if (value >= 1.0) {
                if (f.status == FrameStatus.RENDERED || f.status == FrameStatus.DOWNLOADING || f.status == FrameStatus.DONE) {
                    return false; // Mantra's 100.0 after the last tile
                }
                if (f.renderStartedMs == 0) {
                    f.renderStartedMs = now;
                }
                f.renderFraction = 1.0;
                f.renderEndedMs = now;
                return setStatus(p, f, FrameStatus.RENDERED, now, "rendered in "
                        + seconds(f.renderEndedMs - f.renderStartedMs), ops);
            }
            boolean changed = false;
            if (f.status != FrameStatus.RENDERING) {
                if (f.renderStartedMs == 0 || f.status.isComplete() || f.status == FrameStatus.ERROR) {
                    f.renderStartedMs = now;
                    f.renderEndedMs = 0;
                }
                f.error = null;
                f.renderStepLogged = 0;
                setStatus(p, f, FrameStatus.RENDERING, now, "rendering", ops);
                changed = true;
            }
            if (value != f.renderFraction) {
                f.renderStepLogged = logStep(p, f, f.renderStepLogged, value, "rendered", now, ops);
                f.renderFraction = value;
                changed = true;
            }
            return changed;
        });
    }

    @Override
    public void setFrameDownloadFraction(String projectName, int frameNumber, double fraction) {
        double value = normalizeFraction(fraction, "download fraction");
        changeFrame(projectName, frameNumber, (p, f, now, ops) -> {
            if (value >= 1.0) {
                f.downloadFraction = 1.0;
                return setStatus(p, f, FrameStatus.DONE, now, "downloaded", ops);
            }
            boolean changed = false;
            if (f.status != FrameStatus.DOWNLOADING) {
                if (f.renderEndedMs == 0 && f.renderStartedMs > 0) {
                    f.renderEndedMs = now;
                    f.renderFraction = 1.0;
                }
                f.downloadStepLogged = 0;
                setStatus(p, f, FrameStatus.DOWNLOADING, now, "downloading", ops);
                changed = true;
            }
            if (value != f.downloadFraction) {
                f.downloadStepLogged = logStep(p, f, f.downloadStepLogged, value, "downloaded", now, ops);
                f.downloadFraction = value;
                changed = true;
            }
            return changed;
        });
    }

    @Override
    public void setFrameError(String projectName, int frameNumber, String errorMessage) {
        String message = errorMessage == null || errorMessage.isBlank() ? "unknown error" : errorMessage;
        changeFrame(projectName, frameNumber, (p, f, now, ops) -> {
            f.error = message;
            f.status = FrameStatus.ERROR;
            log(p, f, now, "error: " + message, ops);
            return true;
        });
    }

    @Override
    public void setProjectError(String projectName, String errorMessage) {
        String message = errorMessage == null || errorMessage.isBlank() ? "unknown error" : errorMessage;
        long now = clock.getAsLong();
        TrackerStore.Ticket stored;
        long lastId;
        structure.readLock().lock();
        try {
            TrackedProject p = require(projectName);
            synchronized (p) {
                List<TrackerStore.Op> ops = new ArrayList<>();
                p.error = message;
                ops.add(new TrackerStore.PutProjectError(p.name, message));
                for (TrackedFrame f : p.frames.values()) {
                    f.error = message;
                    f.status = FrameStatus.ERROR;
                    log(p, f, now, "project error: " + message, ops);
                    f.eventId = eventCounter.incrementAndGet();
                    p.lastEventId = f.eventId;
                    ops.add(new TrackerStore.PutFrame(f.snapshot(p.name)));
                }
                lastId = p.lastEventId;
                stored = store.submit(ops);
            }
        } finally {
            structure.readLock().unlock();
        }
        await(store, stored);
        Map<String, Object> props = baseEvent(projectName, lastId, now);
        props.put(TrackerEvents.MESSAGE, message);
        events.post(TrackerEvents.PROJECT_ERROR, props);
    }

    @Override
    public boolean removeProject(String projectName) {
        long now = clock.getAsLong();
        TrackerStore.Ticket stored;
        long lastId;
        structure.writeLock().lock();
        try {
            TrackedProject p = projects.remove(projectName);
            if (p == null) {
                return false;
            }
            synchronized (p) {
                p.live = false;
                lastId = p.lastEventId;
            }
            stored = store.submit(List.of(new TrackerStore.RemoveProject(projectName)));
        } finally {
            structure.writeLock().unlock();
        }
        await(store, stored);
        events.post(TrackerEvents.PROJECT_REMOVED, baseEvent(projectName, lastId, now));
        return true;
    }

    @Override
    public long incrementAndGetLastEventId() {
        TrackerStore.Ticket stored;
        long id;
        structure.readLock().lock();
        try {
            id = eventCounter.incrementAndGet();
            stored = store.submit(List.of(new TrackerStore.EventCounter(id)));
        } finally {
            structure.readLock().unlock();
        }
        await(store, stored);
        return id;
    }

    /** A change to one frame; returns whether anything changed (then it gets an event id). */
    @FunctionalInterface
    private interface FrameChange {
        boolean apply(TrackedProject p, TrackedFrame f, long now, List<TrackerStore.Op> ops);
    }

    private void changeFrame(String projectName, int frameNumber, FrameChange change) {
        long now = clock.getAsLong();
        TrackerStore.Ticket stored;
        EventSink sink = events;
        Map<String, Object> event = null;
        structure.readLock().lock();
        try {
            TrackedProject p = require(projectName);
            synchronized (p) {
                TrackedFrame f = p.frame(frameNumber);
                if (f == null) {
                    throw new UnknownFrameException(projectName, frameNumber);
                }
                List<TrackerStore.Op> ops = new ArrayList<>(2);
                if (!change.apply(p, f, now, ops)) {
                    return;
                }
                f.eventId = eventCounter.incrementAndGet();
                p.lastEventId = f.eventId;
                ops.add(new TrackerStore.PutFrame(f.snapshot(p.name)));
                stored = store.submit(ops);
                if (sink != EventSink.NONE) {
                    event = baseEvent(p.name, f.eventId, now);
                    event.put(TrackerEvents.FRAME, f.number);
                    event.put(TrackerEvents.STATUS, f.status.name());
                    event.put(TrackerEvents.STATUS_INDEX, f.status.ordinal());
                    event.put(TrackerEvents.FRAME_FRACTION, f.fraction());
                    if (f.status == FrameStatus.ERROR && f.error != null) {
                        event.put(TrackerEvents.MESSAGE, f.error);
                    }
                }
            }
        } finally {
            structure.readLock().unlock();
        }
        await(store, stored);
        if (event != null) {
            sink.post(TrackerEvents.FRAME_CHANGED, event);
        }
    }

    private static boolean setStatus(TrackedProject p, TrackedFrame f, FrameStatus status, long now, String message,
            List<TrackerStore.Op> ops) {
        if (f.status == status) {
            return false;
        }
        f.status = status;
        if (status != FrameStatus.ERROR) {
            f.error = null;
        }
        log(p, f, now, message, ops);
        return true;
    }

    private static void log(TrackedProject p, TrackedFrame f, long now, String message, List<TrackerStore.Op> ops) {
        if (f.log.size() >= MAX_LOG_LINES) {
            // a frame re-rendered or failing over and over: keep the newest lines in memory
            f.log.subList(0, MAX_LOG_LINES / 10).clear();
        }
        f.log.add(new TrackedFrame.LogLine(now, message));
        ops.add(new TrackerStore.AppendLog(p.name, f.number, now, message));
    }

    /**
     * Logs the 10 % step a fraction reached ("rendered 30%") when it is higher than any step logged in
     * this attempt; returns the highest step logged. A fraction that goes back and forth (a client
     * reporting per tile, a restarted task) adds no line until it passes its highest step, so a
     * frame's log stays a short story of each attempt however many updates it gets.
     */
    private static int logStep(TrackedProject p, TrackedFrame f, int logged, double to, String verb, long now,
            List<TrackerStore.Op> ops) {
        int step = (int) Math.floor(to / LOG_STEP + 1e-9);
        if (step > logged && step > 0) {
            log(p, f, now, verb + " " + Math.round(step * LOG_STEP * 100) + "%", ops);
            return step;
        }
        return logged;
    }

    /** Waits until the change is durable; a change that could not be stored is not acknowledged. */
    private static void await(TrackerStore store, TrackerStore.Ticket stored) {
        try {
            store.await(stored);
        } catch (SQLException e) {
            throw new TrackerException(XmlRpcFault.INTERNAL_ERROR, "the tracker could not store the change: "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, Object> baseEvent(String project, long eventId, long now) {
        Map<String, Object> props = new HashMap<>();
        props.put(TrackerEvents.PROJECT, project);
        props.put(TrackerEvents.EVENT_ID, eventId);
        props.put(TesseraEvents.TIMESTAMP, now);
        return props;
    }

    /**
     * 0.0–1.0 as is; above 1.0 up to 100 as a percentage; anything else refused.
     */
    public static double normalizeFraction(double fraction, String what) {
        if (Double.isNaN(fraction) || Double.isInfinite(fraction)) {
            throw TrackerException.invalidArgument(what + " must be a number from 0.0 to 1.0 (or a percentage up to 100), not "
                    + fraction);
        }
        if (fraction < 0) {
            throw TrackerException.invalidArgument(what + " must not be negative: " + fraction);
        }
        if (fraction <= 1.0) {
            return fraction;
        }
        if (fraction <= 100.0) {
            return fraction / 100.0;
        }
        throw TrackerException.invalidArgument(what + " " + fraction + " is out of range: give 0.0-1.0 or a percentage up to 100");
    }

    private static String requireName(String projectName) {
        if (projectName == null || projectName.isBlank()) {
            throw TrackerException.invalidArgument("the project name must not be empty");
        }
        return projectName;
    }

    private static void requireJobId(JobId jobId) {
        if (jobId == null) {
            throw TrackerException.invalidArgument("the job id must be a whole number or a string, not nil");
        }
    }

    private TrackedProject require(String projectName) {
        TrackedProject p = projects.get(projectName);
        if (p == null) {
            throw new UnknownProjectException(projectName);
        }
        return p;
    }

    private static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    // ------------------------------------------------------------------ queries

    @Override
    public List<String> getAllProjects() {
        List<String> names = new ArrayList<>(projects.keySet());
        names.sort(null);
        return names;
    }

    @Override
    public List<FrameInfo> getAllFramesInfo(String projectName) {
        TrackedProject p = require(projectName);
        synchronized (p) {
            List<FrameInfo> infos = new ArrayList<>(p.frames.size());
            for (TrackedFrame f : p.frames.values()) {
                infos.add(f.info());
            }
            return infos;
        }
    }

    /** The number of frames of a project, or -1 when there is no such project (no lock: a size read). */
    public int frameCount(String projectName) {
        TrackedProject p = projectName == null ? null : projects.get(projectName);
        return p == null ? -1 : p.frames.size();
    }

    @Override
    public FrameChanges getChangedFrames(String projectName, long sinceEventId) {
        TrackedProject p = require(projectName);
        synchronized (p) {
            List<FrameInfo> changes = new ArrayList<>();
            for (TrackedFrame f : p.frames.values()) {
                if (f.eventId > sinceEventId) {
                    changes.add(f.info());
                }
            }
            return new FrameChanges(changes, p.lastEventId);
        }
    }

    /**
     * See {@code docs/tracker.md}: mean measured render time of finished frames (or, before any
     * finished, the projected total time of running frames), applied to the frames still to render,
     * divided among the frames rendering now.
     */
    @Override
    public double getEstimatedRenderSecondsLeft(String projectName) {
        TrackedProject p = require(projectName);
        long now = clock.getAsLong();
        synchronized (p) {
            double finishedSum = 0;
            int finished = 0;
            double projectedSum = 0;
            int projected = 0;
            int running = 0;
            int pending = 0;
            boolean allComplete = true;
            for (TrackedFrame f : p.frames.values()) {
                allComplete &= f.status.isComplete();
                if (f.status.isComplete() || f.status == FrameStatus.DOWNLOADING) {
                    if (f.renderStartedMs > 0 && f.renderEndedMs >= f.renderStartedMs) {
                        finishedSum += (f.renderEndedMs - f.renderStartedMs) / 1000.0;
                        finished++;
                    }
                } else if (f.status == FrameStatus.RENDERING) {
                    running++;
                    double elapsed = Math.max(0, now - f.renderStartedMs) / 1000.0;
                    if (f.renderFraction >= 0.01 && elapsed > 0) {
                        projectedSum += elapsed / f.renderFraction;
                        projected++;
                    }
                } else if (f.status != FrameStatus.ERROR) {
                    pending++;
                }
            }
            if (allComplete) {
                return 0;
            }
            double perFrame;
            if (finished > 0) {
                perFrame = finishedSum / finished;
            } else if (projected > 0) {
                perFrame = projectedSum / projected;
            } else {
                return -1;
            }
            double work = pending * perFrame;
            double longestRunning = 0;
            for (TrackedFrame f : p.frames.values()) {
                if (f.status == FrameStatus.RENDERING) {
                    double elapsed = Math.max(0, now - f.renderStartedMs) / 1000.0;
                    double left = f.renderFraction >= 0.01 && elapsed > 0
                            ? elapsed / f.renderFraction * (1 - f.renderFraction)
                            : Math.max(0, perFrame - elapsed);
                    work += left;
                    longestRunning = Math.max(longestRunning, left);
                }
            }
            return Math.max(work / Math.max(1, running), longestRunning);
        }
    }

    private TrackedFrame frame(String projectName, int frameNumber, TrackedProject p) {
        TrackedFrame f = p.frame(frameNumber);
        if (f == null) {
            throw new UnknownFrameException(projectName, frameNumber);
        }
        return f;
    }

    @Override
    public JobId getFrameJobID(String projectName, int frameNumber) {
        TrackedProject p = require(projectName);
        synchronized (p) {
            return frame(projectName, frameNumber, p).jobId;
        }
    }

    @Override
    public String getFrameLog(String projectName, int frameNumber) {
        TrackedProject p = require(projectName);
        synchronized (p) {
            StringBuilder sb = new StringBuilder();
            for (TrackedFrame.LogLine line : frame(projectName, frameNumber, p).log) {
                sb.append(Instant.ofEpochMilli(line.timeMs())).append("  ").append(line.message()).append('\n');
            }
            return sb.toString();
        }
    }

    @Override
    public String getImagePath(String projectName, int frameNumber) {
        TrackedProject p = require(projectName);
        synchronized (p) {
            return frame(projectName, frameNumber, p).imagePath;
        }
    }

    @Override
    public boolean isProjectDone(String projectName) {
        TrackedProject p = require(projectName);
        synchronized (p) {
            return p.frames.values().stream().allMatch(f -> f.status.isComplete());
        }
    }

    @Override
    public boolean isProjectRunning(String projectName) {
        TrackedProject p = projectName == null ? null : projects.get(projectName);
        if (p == null) {
            return false;
        }
        synchronized (p) {
            return p.frames.values().stream().anyMatch(f -> !f.status.isFinal());
        }
    }

    @Override
    public boolean isRunning() {
        return true;
    }

    @Override
    public String suggestInactiveProjectName(String requestedProjectName) {
        String name = requireName(requestedProjectName);
        if (!isProjectRunning(name)) {
            return name;
        }
        for (int i = 2;; i++) {
            String candidate = name + " (" + i + ")";
            if (!isProjectRunning(candidate)) {
                return candidate;
            }
        }
    }

    @Override
    public boolean doesProjectGenerateIFDs(String projectName) {
        TrackedProject p = projectName == null ? null : projects.get(projectName);
        return p != null && p.generateIfds;
    }
}
