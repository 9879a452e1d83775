// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.tessera.render.core.MalformedTileException;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.SceneException;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TileTask;
import org.tessera.render.core.TileWorker;

/**
 * Hands tiles out by pull: each {@link TileWorker} gets {@link TileWorker#capacity()} threads, and
 * each thread takes the next tile when it is free, so fast workers take more tiles. A failed tile
 * (exception, malformed answer) goes to the front of the queue for any worker; a worker that failed
 * {@code maxFailures} tiles is blocklisted for the rest of the job; workers may join or leave while
 * the job runs. A {@link SceneException} fails the job at once, as do failures of every worker.
 */
public final class TileScheduler {

    /** Supplies tiles lazily, in render order; {@code null} when there are no more. Called under the scheduler's lock. */
    @FunctionalInterface
    public interface TileSource {
        TileTask next();
    }

    /** Takes a rendered tile; a {@link MalformedTileException} counts against the worker, an IOException fails the job. */
    @FunctionalInterface
    public interface TileSink {
        void accept(TileTask task, TilePixels pixels, String node, long millis) throws MalformedTileException, IOException;
    }

    private static final class WorkerState {
        final TileWorker worker;
        final List<Thread> threads = new ArrayList<>();
        int failures;
        boolean blocked;
        boolean removed;

        WorkerState(TileWorker worker) {
            this.worker = worker;
        }

        boolean active() {
            return !blocked && !removed;
        }
    }

    private final String jobId;
    private final TileSource source;
    private final TileSink sink;
    private final int maxFailures;
    private final Object lock = new Object();
    private final Deque<TileTask> retry = new ArrayDeque<>();
    private final Map<String, WorkerState> workers = new LinkedHashMap<>();
    private boolean sourceDone;
    private int inFlight;
    private int tilesDone;
    private int tilesRetried;
    private boolean cancelled;
    private boolean running;
    private RenderException fatal;
    private Exception lastWorkerError;

    public TileScheduler(String jobId, TileSource source, TileSink sink, int maxFailures) {
        this.jobId = jobId;
        this.source = source;
        this.sink = sink;
        this.maxFailures = maxFailures;
    }

    /** Adds a worker; while the job runs its threads start pulling tiles at once. */
    public void addWorker(TileWorker worker) {
        synchronized (lock) {
            if (workers.containsKey(worker.name())) {
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

    /** Names of workers blocklisted for this job. */
    public List<String> blocklisted() {
        synchronized (lock) {
            return workers.values().stream().filter(w -> w.blocked).map(w -> w.worker.name()).toList();
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

    /**
     * Renders every tile of the source, blocking until all are accepted.
     *
     * @throws RenderException       when the scene is broken, a frame cannot be written, or no worker is left
     * @throws CancellationException when cancelled
     */
    public void run() throws RenderException, InterruptedException {
        List<Thread> all = new ArrayList<>();
        try {
            synchronized (lock) {
                running = true;
                workers.values().forEach(this::startThreads);
                checkWorkersLeft();
                while (!cancelled && fatal == null && !(sourceDone && inFlight == 0 && retry.isEmpty())) {
                    lock.wait();
                }
            }
        } finally {
            synchronized (lock) {
                if (!(sourceDone && inFlight == 0 && retry.isEmpty()) && !cancelled) {
                    cancelled = true;
                }
                running = false;
                lock.notifyAll();
                workers.values().forEach(w -> all.addAll(w.threads));
            }
            if (cancelled) {
                all.forEach(Thread::interrupt);
            }
            for (Thread t : all) {
                t.join(10_000);
            }
        }
        synchronized (lock) {
            if (fatal != null) {
                throw fatal;
            }
            if (!(sourceDone && inFlight == 0 && retry.isEmpty())) {
                throw new CancellationException("job " + jobId + " cancelled");
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
        boolean workLeft = !(sourceDone && inFlight == 0 && retry.isEmpty());
        if (workLeft && fatal == null && !cancelled && workers.values().stream().noneMatch(WorkerState::active)) {
            String why = lastWorkerError == null ? "no worker to render on"
                    : "all " + workers.size() + " workers failed; last error: " + message(lastWorkerError);
            fatal = new RenderException("job " + jobId + ": " + why);
            lock.notifyAll();
        }
    }

    private void pull(WorkerState state) {
        while (true) {
            TileTask task;
            synchronized (lock) {
                while (true) {
                    if (cancelled || fatal != null || !state.active() || !running) {
                        return;
                    }
                    task = retry.pollFirst();
                    if (task == null && !sourceDone) {
                        task = source.next();
                        if (task == null) {
                            sourceDone = true;
                        }
                    }
                    if (task != null) {
                        inFlight++;
                        break;
                    }
                    if (sourceDone && inFlight == 0) {
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
            long started = System.nanoTime();
            try {
                TilePixels pixels = state.worker.render(task);
                if (pixels == null) {
                    throw new MalformedTileException("worker " + state.worker.name() + " returned no pixels");
                }
                long millis = (System.nanoTime() - started) / 1_000_000;
                synchronized (lock) {
                    if (cancelled) {
                        inFlight--;
                        lock.notifyAll();
                        return;
                    }
                }
                sink.accept(task, pixels, state.worker.name(), millis);
                synchronized (lock) {
                    inFlight--;
                    tilesDone++;
                    lock.notifyAll();
                }
            } catch (SceneException e) {
                fail(e);
                return;
            } catch (IOException e) {
                fail(new RenderException("cannot write frame " + task.frame() + ": " + e.getMessage(), e));
                return;
            } catch (Exception e) {
                synchronized (lock) {
                    inFlight--;
                    if (cancelled) {
                        lock.notifyAll();
                        return;
                    }
                    retry.addFirst(task);
                    tilesRetried++;
                    lastWorkerError = e;
                    state.failures++;
                    if (state.failures >= maxFailures) {
                        state.blocked = true;
                        checkWorkersLeft();
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
            inFlight--;
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
