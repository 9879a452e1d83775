// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.tessera.cloud.core.EnvoyClient;
import org.tessera.cloud.core.ProjectStatus;
import org.tessera.workbench.BackgroundWork;
import org.tessera.workbench.TesseraPreferences;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * Cloud Submissions: "Submit..." opens the wizard; each submission uploads and submits in a job,
 * then its status is polled (every {@link #POLL_MS} ms, in a job) until the project finishes. The
 * upper table lists this session's projects with their upload progress, the lower one the selected
 * project's jobs with frames done.
 */
public class CloudPart {
    /** Part (and descriptor) id. */
    public static final String ID = "org.tessera.cloud.ui.part.cloud";
    static final int POLL_MS = 1500;

    private Composite root;
    private Table projects;
    private Table jobs;
    private Label message;
    private final Map<String, ProjectStatus> statuses = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();
    private volatile boolean disposed;
    private Job lastJob;

    @PostConstruct
    public void create(Composite parent) {
        root = parent;
        parent.setLayout(new GridLayout(1, false));
        Composite bar = new Composite(parent, SWT.NONE);
        bar.setLayout(new GridLayout(2, false));
        bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        Button submit = new Button(bar, SWT.PUSH);
        submit.setText("Submit Project...");
        submit.addListener(SWT.Selection, e -> openWizard());
        message = new Label(bar, SWT.NONE);
        message.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        message.setText("Service: " + TesseraPreferences.get(TesseraPreferences.GATEWAY_URL) + " (Window > Preferences > Cloud)");
        SashForm sash = new SashForm(parent, SWT.VERTICAL);
        sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        projects = table(sash, "Project", 220, "State", 100, "Upload", 150, "Speed", 90, "Message", 320);
        jobs = table(sash, "Job", 160, "State", 100, "Frames", 100, "Credits", 80, "Message", 320);
        projects.addListener(SWT.Selection, e -> showJobs());
    }

    private static Table table(Composite parent, Object... columns) {
        Table t = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
        t.setHeaderVisible(true);
        t.setLinesVisible(true);
        for (int i = 0; i < columns.length; i += 2) {
            TableColumn c = new TableColumn(t, SWT.LEFT);
            c.setText((String) columns[i]);
            c.setWidth((Integer) columns[i + 1]);
        }
        return t;
    }

    @PreDestroy
    public void dispose() {
        disposed = true;
    }

    private void openWizard() {
        WizardDialog d = new WizardDialog(root.getShell(), new SubmitWizard(this::submit));
        d.setPageSize(600, 520);
        d.open();
    }

    /** Uploads and submits in a job, then polls the project's status until it finishes. */
    public Job submit(Submission s) {
        message.setText("Submitting " + s.folder().getFileName() + " to " + s.service() + " ...");
        lastJob = new Job("Cloud: submitting " + s.folder().getFileName()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                try (EnvoyClient c = new EnvoyClient(s.service())) {
                    c.authenticate(s.email(), s.accessKey());
                    monitor.beginTask("Uploading and submitting", 100);
                    String name = c.submitProject(s.toProject());
                    BackgroundWork.inUi(root, () -> {
                        if (!order.contains(name)) {
                            order.add(name);
                        }
                        message.setText("Submitted " + name);
                    });
                    ProjectStatus st;
                    int reported = 0;
                    do {
                        if (monitor.isCanceled() || disposed) {
                            return Status.CANCEL_STATUS;
                        }
                        st = c.getProjectStatus(name);
                        statuses.put(name, st);
                        int pct = percent(st);
                        monitor.worked(pct - reported);
                        reported = pct;
                        monitor.subTask(st.state() + " " + pct + "%");
                        BackgroundWork.inUi(root, CloudPart.this::refresh);
                        if (!st.isFinished()) {
                            Thread.sleep(POLL_MS);
                        }
                    } while (!st.isFinished());
                    return Status.OK_STATUS;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Status.CANCEL_STATUS;
                } catch (RuntimeException e) {
                    BackgroundWork.inUi(root, () -> message.setText("Cloud submission failed: " + e.getMessage()));
                    return new Status(IStatus.WARNING, "org.tessera.cloud.ui", e.getMessage(), e);
                }
            }
        };
        lastJob.setUser(true);
        lastJob.schedule();
        return lastJob;
    }

    /** Overall progress: upload first, then frames of all jobs. */
    static int percent(ProjectStatus s) {
        long total = s.jobs().stream().mapToLong(ProjectStatus.JobStatus::framesTotal).sum();
        long done = s.jobs().stream().mapToLong(ProjectStatus.JobStatus::framesDone).sum();
        double upload = s.bytesTotal() <= 0 ? 1 : (double) s.bytesDone() / s.bytesTotal();
        double render = total <= 0 ? 0 : (double) done / total;
        return (int) Math.round(100 * (0.2 * upload + 0.8 * render));
    }

    private void refresh() {
        projects.setItemCount(order.size());
        for (int i = 0; i < order.size(); i++) {
            ProjectStatus s = statuses.get(order.get(i));
            TableItem item = projects.getItem(i);
            item.setData(order.get(i));
            if (s != null) {
                item.setText(new String[] { order.get(i), s.state(), upload(s), String.format("%.1f MB/s", s.speed() / 1e6),
                        s.message() == null ? "" : s.message() });
            } else {
                item.setText(new String[] { order.get(i), "submitted", "", "", "" });
            }
        }
        if (projects.getSelectionCount() == 0 && !order.isEmpty()) {
            projects.setSelection(order.size() - 1);
        }
        showJobs();
    }

    private static String upload(ProjectStatus s) {
        return s.bytesTotal() <= 0 ? "-" : String.format("%d%% of %.1f MB", Math.round(100.0 * s.bytesDone() / s.bytesTotal()), s.bytesTotal() / 1e6);
    }

    private void showJobs() {
        TableItem[] sel = projects.getSelection();
        ProjectStatus s = sel.length == 0 ? null : statuses.get((String) sel[0].getData());
        List<ProjectStatus.JobStatus> list = s == null ? List.of() : s.jobs();
        jobs.setItemCount(list.size());
        for (int i = 0; i < list.size(); i++) {
            ProjectStatus.JobStatus j = list.get(i);
            jobs.getItem(i).setText(new String[] { j.name(), j.state(), j.framesDone() + " / " + j.framesTotal(),
                    String.format("%.2f", j.creditsConsumed()), j.message() == null ? "" : j.message() });
        }
    }

    /** Last known status of a project (tests). */
    public ProjectStatus status(String project) {
        return statuses.get(project);
    }

    /** Projects submitted from this view (tests). */
    public List<String> projects() {
        return List.copyOf(order);
    }
}
