// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

import org.tessera.render.core.MalformedTileException;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TileTask;
import org.tessera.render.core.TileWorker;

/**
 * Hands tiles out by pull: each {@link TileWorker} gets {@link TileWorker#capacity()} threads, and
 * each thread takes the next tile when it is free, so fast workers take more tiles. A failed tile
 * (exception, malformed answer, or no answer within the tile timeout) goes to the front of the queue
 * for any worker; a worker that failed {@code maxFailures} tiles is blocklisted for the rest of the
 * job; workers may join or leave while the job runs. A {@link SceneException} fails the job at once,
 * as do failures of every worker. A timed-out tile's late answer is still taken if it arrives first.
 */
public final class TileScheduler {

    /** Supplies tiles lazily, in render order; {@code null} when there are no more. Called under the scheduler's lock. */
    @FunctionalInterface
    public interface TileSource {
        TileTask next();
    }

    /**
     * Takes a rendered tile and returns whether it was new (false for a duplicate of a tile already in).
     * A {@link MalformedTileException} counts against the worker, an IOException fails the job.
     */
    @FunctionalInterface
    public interface TileSink {
        boolean accept(TileTask task, TilePixels pixels, String node, long millis) throws MalformedTileException, IOException;
    }

    private static final class WorkerState {
        final TileWorker worker;
        final List<Thread> threads = new ArrayList<>();
        int failures;
        Exception lastError;
        boolean blocked;
        boolean removed;

        WorkerState(TileWorker worker) {
            this.worker = worker;
        }

        boolean active() {
            return !blocked && !removed;
        }
    }

    /** A tile being rendered by one thread. */
    private static final class InFlight {
        final TileTask task;
        final WorkerState worker;
        final long startedNanos = System.nanoTime();
        boolean timedOut;

        InFlight(TileTask task, WorkerState worker) {
            this.task = task;
            this.worker = worker;
        }
    }

    private final String jobId;
    private final TileSource source;
    private final TileSink sink;
    private final int maxFailures;
    private final long tileTimeoutNanos;
    private final Object lock = new Object();
    private final Deque<TileTask> retry = new ArrayDeque<>();
    private final Map<String, WorkerState> workers = new LinkedHashMap<>();
    private final Map<Thread, InFlight> inFlight = new HashMap<>();
    private boolean sourceDone;
    private int tilesDone;
    private int tilesRetried;
    private boolean cancelled;
    private boolean running;
    private RenderException fatal;
    private Exception lastWorkerError;

    /** @param tileTimeout longest a worker may take for one tile; zero or negative for no limit */
    public TileScheduler(String jobId, TileSource source, TileSink sink, int maxFailures, Duration tileTimeout) {
        this.jobId = jobId;
        this.source = source;
        this.sink = sink;
        this.maxFailures = maxFailures;
        this.tileTimeoutNanos = tileTimeout == null || tileTimeout.isNegative() ? 0 : tileTimeout.toNanos();
    }

    /**
     * Adds a worker; while the job runs its threads start pulling tiles at once. A worker that left
     * ({@link #removeWorker}) may come back under its name (its node recovered); one that failed may not.
     */
    public void addWorker(TileWorker worker) {
        synchronized (lock) {
            WorkerState old = workers.get(worker.name());
            if (old != null && (!old.removed || old.blocked)) {
                throw new IllegalArgumentException("worker " + worker.name() + " is already in job " + jobId);
            }
            WorkerState state = new WorkerState(worker);
            workers.put(worker.name(), state);
            if (running) {
                startThreads(state);
            }
        }
    }

    /** The worker leaves: it takes no new tile; a tile it has in flight still counts if it arrives. */
    public void removeWorker(String name) {
        synchronized (lock) {
            WorkerState state = workers.get(name);
            if (state != null) {
                state.removed = true;
                checkWorkersLeft();
                lock.notifyAll();
            }
        }
    }

    /** Names of the workers taking tiles now (neither removed nor blocklisted), in the order they joined. */
    public List<String> activeWorkers() {
        synchronized (lock) {
            return workers.values().stream().filter(WorkerState::active).map(w -> w.worker.name()).toList();
        }
    }

    /** Workers blocklisted for this job, in the order they joined, each with its last error. */
    public java.util.Map<String, String> blocklistReasons() {
        synchronized (lock) {
            java.util.Map<String, String> lost = new java.util.LinkedHashMap<>();
            workers.values().stream().filter(w -> w.blocked)
                    .forEach(w -> lost.put(w.worker.name(), w.lastError == null ? "failed" : message(w.lastError)));
            return lost;
        }
    }

    /** True when the job failed because every worker it had was blocklisted. */
    public boolean allWorkersBlocklisted() {
        synchronized (lock) {
            return !workers.isEmpty() && workers.values().stream().allMatch(w -> w.blocked || w.removed)
                    && workers.values().stream().anyMatch(w -> w.blocked);
        }
    }

    public int tilesDone() {
        synchronized (lock) {
            return tilesDone;
        }
    }

    public int tilesRetried() {
        synchronized (lock) {
            return tilesRetried;
        }
    }

    /** Stops handing out tiles and interrupts tiles in flight; {@link #run()} then throws {@link CancellationException}. */
    public void cancel() {
        List<Thread> threads = new ArrayList<>();
        synchronized (lock) {
            cancelled = true;
            workers.values().forEach(w -> threads.addAll(w.threads));
            lock.notifyAll();
        }
        threads.forEach(Thread::interrupt);
    }

    private boolean allDone() {
        return sourceDone && pending() == 0 && retry.isEmpty();
    }

    /** Tiles in flight that still count (a timed-out tile was re-queued and no longer does). */
    private int pending() {
        int n = 0;
        for (InFlight f : inFlight.values()) {
            if (!f.timedOut) {
                n++;
            }
        }
        return n;
    }

    /**
     * Renders every tile of the source, blocking until all are accepted.
     *
     * @throws RenderException       when the scene is broken, a frame cannot be written, or no worker is left
     * @throws CancellationException when cancelled
     */
    public void run() throws RenderException, InterruptedException {
        List<Thread> all = new ArrayList<>();
        boolean done;
        try {
            synchronized (lock) {
                running = true;
                workers.values().forEach(this::startThreads);
                checkWorkersLeft();
                while (!cancelled && fatal == null && !allDone()) {
                    lock.wait(tileTimeoutNanos > 0 ? Math.max(10, Math.min(250, tileTimeoutNanos / 4_000_000)) : 0);
                    checkTimeouts();
                }
            }
        } finally {
            synchronized (lock) {
                done = allDone();
                if (!done) {
                    cancelled = true;
                }
                running = false;
                lock.notifyAll();
                workers.values().forEach(w -> all.addAll(w.threads));
            }
            if (!done) {
                // stop what is in flight (POV-Ray processes are destroyed on interrupt) before reporting
                all.forEach(Thread::interrupt);
                long deadline = System.nanoTime() + 5_000_000_000L;
                for (Thread t : all) {
                    t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            }
            // when done, idle threads exit on their own; one stuck in a timed-out tile is abandoned (a daemon)
            // and its late answer is ignored
        }
        synchronized (lock) {
            if (fatal != null) {
                throw fatal;
            }
            if (!done) {
                throw new CancellationException("job " + jobId + " cancelled");
            }
        }
    }

    /** Under the lock: re-queues tiles that passed the timeout and counts a failure against their worker. */
    private void checkTimeouts() {
        if (tileTimeoutNanos <= 0) {
            return;
        }
        long now = System.nanoTime();
        for (Map.Entry<Thread, InFlight> e : inFlight.entrySet()) {
            InFlight f = e.getValue();
            if (!f.timedOut && now - f.startedNanos > tileTimeoutNanos) {
                f.timedOut = true;
                e.getKey().interrupt();
                failed(f.worker, f.task, new TimeoutException("worker " + f.worker.worker.name() + " took more than "
                        + tileTimeoutNanos / 1_000_000 + " ms for tile " + f.task.tile() + " of frame " + f.task.frame()));
            }
        }
    }

    private void startThreads(WorkerState state) {
        int n = Math.max(1, state.worker.capacity());
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> pull(state), "tessera-render-" + state.worker.name() + "-" + i);
            t.setDaemon(true);
            state.threads.add(t);
            t.start();
        }
    }

    private void checkWorkersLeft() {
        if (!allDone() && fatal == null && !cancelled && workers.values().stream().noneMatch(WorkerState::active)) {
            String why = lastWorkerError == null ? "no worker to render on"
                    : "all " + workers.size() + " workers failed; last error: " + message(lastWorkerError);
            fatal = new RenderException("job " + jobId + ": " + why);
            lock.notifyAll();
        }
    }

    /** Under the lock: the tile goes back to the queue, the worker gets a strike. */
    private void failed(WorkerState state, TileTask task, Exception error) {
        retry.addFirst(task);
        tilesRetried++;
        lastWorkerError = error;
        state.lastError = error;
        state.failures++;
        if (state.failures >= maxFailures) {
            state.blocked = true;
            checkWorkersLeft();
        }
        lock.notifyAll();
    }

    private void pull(WorkerState state) {
        Thread self = Thread.currentThread();
        while (true) {
            InFlight flight;
            synchronized (lock) {
                while (true) {
                    if (cancelled || fatal != null || !state.active() || !running) {
                        return;
                    }
                    TileTask task = retry.pollFirst();
                    if (task == null && !sourceDone) {
                        task = source.next();
                        if (task == null) {
                            sourceDone = true;
                        }
                    }
                    if (task != null) {
                        flight = new InFlight(task, state);
                        inFlight.put(self, flight);
                        break;
                    }
                    if (allDone()) {
                        lock.notifyAll();
                        return;
                    }
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            TileTask task = flight.task;
            try {
                TilePixels pixels = state.worker.render(task);
                if (pixels == null) {
                    throw new MalformedTileException("worker " + state.worker.name() + " returned no pixels");
                }
                synchronized (lock) {
                    if (cancelled) {
                        inFlight.remove(self);
                        lock.notifyAll();
                        return;
                    }
                }
                boolean accepted = sink.accept(task, pixels, state.worker.name(),
                        (System.nanoTime() - flight.startedNanos) / 1_000_000);
                synchronized (lock) {
                    inFlight.remove(self);
                    if (accepted) {
                        tilesDone++;
                    }
                    lock.notifyAll();
                }
                Thread.interrupted(); // a timeout's interrupt that came too late must not hit the next tile
            } catch (SceneException e) {
                fail(e);
                return;
            } catch (IOException e) {
                fail(new RenderException("cannot write frame " + task.frame() + ": " + e.getMessage(), e));
                return;
            } catch (Exception e) {
                Thread.interrupted();
                synchronized (lock) {
                    inFlight.remove(self);
                    if (cancelled) {
                        lock.notifyAll();
                        return;
                    }
                    if (!flight.timedOut) {
                        failed(state, task, e);
                    }
                    lock.notifyAll();
                }
            } catch (Error e) {
                fail(new RenderException("worker " + state.worker.name() + " crashed: " + e, e));
                throw e;
            }
        }
    }

    private void fail(RenderException e) {
        synchronized (lock) {
            inFlight.remove(Thread.currentThread());
            if (fatal == null) {
                fatal = e;
            }
            lock.notifyAll();
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
