// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobManager;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.core.runtime.jobs.ProgressProvider;

/**
 * What the Progress view and the status line show: every user or long job with its task, work done
 * and state, fed by a {@link ProgressProvider} (each job's monitor) and a job-change listener.
 * Listeners are called on the job's thread; views hop to the UI thread themselves.
 */
public final class RunningJobs {
    /** One job as last seen. */
    public record Entry(Job job, String name, String task, int totalWork, double worked, boolean done, boolean canceled,
            String result) {
        /** 0-100, or -1 when the job did not say how much work it has. */
        public int percent() {
            if (done) {
                return 100;
            }
            return totalWork <= 0 || totalWork == IProgressMonitor.UNKNOWN ? -1 : (int) Math.min(100, worked * 100 / totalWork);
        }
    }

    private static final RunningJobs INSTANCE = new RunningJobs();
    private static final int FINISHED_KEPT = 20;

    private final Map<Job, Entry> entries = new LinkedHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private boolean installed;

    private RunningJobs() {
    }

    /** The one model of this workbench. */
    public static RunningJobs instance() {
        return INSTANCE;
    }

    /** Starts listening to the job manager (idempotent). */
    public synchronized void install(IJobManager manager) {
        if (installed) {
            return;
        }
        installed = true;
        manager.setProgressProvider(new ProgressProvider() {
            @Override
            public IProgressMonitor createMonitor(Job job) {
                return new Monitor(job);
            }
        });
        manager.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void running(IJobChangeEvent event) {
                if (shown(event.getJob())) {
                    update(event.getJob(), e -> e);
                }
            }

            @Override
            public void done(IJobChangeEvent event) {
                Job job = event.getJob();
                if (shown(job)) {
                    String result = event.getResult() == null ? "" : event.getResult().getMessage();
                    boolean canceled = event.getResult() != null && event.getResult().getSeverity() == org.eclipse.core.runtime.IStatus.CANCEL;
                    update(job, e -> new Entry(job, e.name(), e.task(), e.totalWork(), e.worked(), true, canceled, result));
                }
            }
        });
    }

    private static boolean shown(Job job) {
        return job.isUser() || !job.isSystem();
    }

    /** Snapshot, oldest first. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    /** The newest job still running, or null. */
    public synchronized Entry current() {
        Entry last = null;
        for (Entry e : entries.values()) {
            if (!e.done()) {
                last = e;
            }
        }
        return last;
    }

    /** Forgets finished jobs. */
    public void clearFinished() {
        synchronized (this) {
            entries.values().removeIf(Entry::done);
        }
        fire();
    }

    public void addListener(Runnable l) {
        listeners.add(l);
    }

    public void removeListener(Runnable l) {
        listeners.remove(l);
    }

    private void update(Job job, java.util.function.UnaryOperator<Entry> change) {
        synchronized (this) {
            Entry e = entries.computeIfAbsent(job, j -> new Entry(j, j.getName(), "", IProgressMonitor.UNKNOWN, 0, false, false, ""));
            entries.put(job, change.apply(e));
            long finished = entries.values().stream().filter(Entry::done).count();
            var it = entries.values().iterator();
            while (finished > FINISHED_KEPT && it.hasNext()) {
                if (it.next().done()) {
                    it.remove();
                    finished--;
                }
            }
        }
        fire();
    }

    private void fire() {
        for (Runnable l : listeners) {
            l.run();
        }
    }

    /** A job's monitor: records its task and work; cancel comes from the job. */
    private final class Monitor extends NullProgressMonitor {
        private final Job job;

        Monitor(Job job) {
            this.job = job;
        }

        @Override
        public void beginTask(String name, int totalWork) {
            if (shown(job)) {
                update(job, e -> new Entry(job, e.name(), name == null ? "" : name, totalWork, 0, false, false, ""));
            }
        }

        @Override
        public void setTaskName(String name) {
            subTask(name);
        }

        @Override
        public void subTask(String name) {
            if (shown(job) && name != null) {
                update(job, e -> new Entry(job, e.name(), name, e.totalWork(), e.worked(), e.done(), false, e.result()));
            }
        }

        @Override
        public void internalWorked(double work) {
            if (shown(job)) {
                update(job, e -> new Entry(job, e.name(), e.task(), e.totalWork(), e.worked() + work, e.done(), false, e.result()));
            }
        }

        @Override
        public void worked(int work) {
            internalWorked(work);
        }
    }
}
