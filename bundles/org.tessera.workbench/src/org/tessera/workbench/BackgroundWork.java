// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Control;

/**
 * Long work (files, network) as an Eclipse {@link Job}, shown in the Progress view and the status
 * line, with its result handed to the UI thread; the UI thread never waits. A failure is reported
 * through {@code onError} on the UI thread, not as an error dialog.
 */
public final class BackgroundWork {
    private static final String PLUGIN = "org.tessera.workbench";

    /** Work that reports to a monitor and may be cancelled. */
    @FunctionalInterface
    public interface Task<T> {
        T run(IProgressMonitor monitor) throws Exception;
    }

    private BackgroundWork() {
    }

    /**
     * Schedules {@code task} as a user job named {@code name}; {@code onDone} or {@code onError}
     * runs on the UI thread of {@code owner} unless it was disposed meanwhile.
     *
     * @return the scheduled job (tests join it)
     */
    public static <T> Job start(String name, Control owner, Task<T> task, Consumer<T> onDone, Consumer<Exception> onError) {
        return schedule(name, owner, true, task, onDone, onError);
    }

    /**
     * Like {@link #start(String, Control, Callable, Consumer, Consumer)}, as a system job: for frequent
     * refreshes (live reloads, event-driven updates) that should not fill the Progress view.
     */
    public static <T> Job refresh(String name, Control owner, Callable<T> task, Consumer<T> onDone, Consumer<Exception> onError) {
        return schedule(name, owner, false, monitor -> task.call(), onDone, onError);
    }

    private static <T> Job schedule(String name, Control owner, boolean user, Task<T> task, Consumer<T> onDone,
            Consumer<Exception> onError) {
        Job job = Job.create(name, monitor -> {
            try {
                T result = task.run(monitor);
                if (monitor.isCanceled()) {
                    return Status.CANCEL_STATUS;
                }
                inUi(owner, () -> onDone.accept(result));
                return Status.OK_STATUS;
            } catch (OperationCanceledException e) {
                return Status.CANCEL_STATUS;
            } catch (Exception e) {
                inUi(owner, () -> onError.accept(e));
                return new Status(IStatus.WARNING, PLUGIN, name + ": " + e.getMessage(), e);
            }
        });
        job.setUser(user);
        job.setSystem(!user);
        job.schedule();
        return job;
    }

    /** Same, for work whose code takes no monitor. */
    public static <T> Job start(String name, Control owner, Callable<T> task, Consumer<T> onDone, Consumer<Exception> onError) {
        return start(name, owner, (Task<T>) monitor -> task.call(), onDone, onError);
    }

    /** Runs {@code r} on the UI thread of {@code owner}, later, unless the control is disposed by then. */
    public static void inUi(Control owner, Runnable r) {
        if (owner.isDisposed()) {
            return;
        }
        owner.getDisplay().asyncExec(() -> {
            if (!owner.isDisposed()) {
                r.run();
            }
        });
    }
}
