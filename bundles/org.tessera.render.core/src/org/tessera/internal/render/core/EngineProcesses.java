// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.tessera.render.core.RenderException;

/**
 * The renderer processes an engine (POV-Ray, Blender) is running, each with its scratch folder. A JVM
 * ended by Ctrl-C or SIGTERM runs no {@code finally}: the shutdown hook added by {@link #activate()} kills
 * the processes still running (they would go on rendering) and removes their folders. Shutdown hooks run
 * while the application still works (a master retries a failed tile), so once stopping no process starts.
 */
public final class EngineProcesses {
    /** A started process and its scratch folder. */
    public record Entry(Process process, Path work) {
    }

    private final String engine;
    private final String hookName;
    /** Guarded by itself, as is {@link #stopping}. */
    private final Set<Entry> running = new HashSet<>();
    private boolean stopping;
    private Thread hook;

    /**
     * @param engine   the engine's name in messages, e.g. {@code "POV-Ray"}
     * @param hookName the shutdown hook thread's name
     */
    public EngineProcesses(String engine, String hookName) {
        this.engine = engine;
        this.hookName = hookName;
    }

    /** Adds the shutdown hook (the engine component's activation). */
    public synchronized void activate() {
        hook = new Thread(this::stopAll, hookName);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Removes the hook and stops every process now (the engine component's deactivation). */
    public void deactivate() {
        Thread h;
        synchronized (this) {
            h = hook;
            hook = null;
        }
        if (h != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        stopAll();
    }

    /**
     * Starts {@code builder}'s process and registers it with its scratch folder.
     *
     * @throws RenderException when the engine is stopping (the process is exiting)
     */
    public Entry start(ProcessBuilder builder, Path work) throws RenderException, IOException {
        synchronized (running) {
            if (stopping) {
                throw new RenderException("the " + engine + " engine is stopping (the process is exiting)");
            }
            Entry e = new Entry(builder.start(), work);
            running.add(e);
            return e;
        }
    }

    /** Kills the entry's process tree if it still runs and forgets it; null is ignored. */
    public void finish(Entry e) {
        if (e == null) {
            return;
        }
        if (e.process().isAlive()) {
            killTree(e.process());
        }
        synchronized (running) {
            running.remove(e);
        }
    }

    private void stopAll() {
        List<Entry> now;
        synchronized (running) {
            stopping = true;
            now = List.copyOf(running);
        }
        now.forEach(r -> killTree(r.process()));
        now.forEach(r -> deleteTree(r.work()));
    }

    /**
     * Kills a process and everything it started (bwrap, then the renderer inside it) and waits up to 5 s
     * until they are gone, so that none of them writes into the scratch folder while it is deleted. An
     * interrupted caller (a cancelled tile) waits anyway and keeps its interrupt.
     */
    public static void killTree(Process process) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    // gone already, or stuck in the kernel: the folder is deleted as far as it can be
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Best effort: the folder and what is in it, ignoring what is already gone; tried again if something remained. */
    public static void deleteTree(Path dir) {
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // already gone, or removed by the other of the render thread and the shutdown hook
            }
        }
    }
}
