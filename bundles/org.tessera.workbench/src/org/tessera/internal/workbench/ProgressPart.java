// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/** The Progress view: one row per running (or recently finished) job, with its task, a bar and Cancel. */
public class ProgressPart {
    /** Part (and descriptor) id. */
    public static final String ID = "org.tessera.workbench.part.progress";

    private final RunningJobs jobs = RunningJobs.instance();
    private final Runnable listener = this::scheduleRefresh;
    private ScrolledComposite scroll;
    private Composite rows;
    private boolean refreshPending;

    @PostConstruct
    public void create(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        Composite bar = new Composite(parent, SWT.NONE);
        bar.setLayout(new GridLayout(2, false));
        bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        Label hint = new Label(bar, SWT.NONE);
        hint.setText("Background work");
        hint.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        Button clear = new Button(bar, SWT.PUSH);
        clear.setText("Remove Finished");
        clear.addListener(SWT.Selection, e -> jobs.clearFinished());
        scroll = new ScrolledComposite(parent, SWT.V_SCROLL);
        scroll.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        scroll.setExpandHorizontal(true);
        rows = new Composite(scroll, SWT.NONE);
        rows.setLayout(new GridLayout(2, false));
        scroll.setContent(rows);
        jobs.addListener(listener);
        refresh();
    }

    @PreDestroy
    public void dispose() {
        jobs.removeListener(listener);
    }

    private void scheduleRefresh() {
        if (rows == null || rows.isDisposed()) {
            return;
        }
        synchronized (this) {
            if (refreshPending) {
                return;
            }
            refreshPending = true;
        }
        // coalesce bursts of monitor updates into at most five repaints a second
        rows.getDisplay().asyncExec(() -> {
            if (!rows.isDisposed()) {
                rows.getDisplay().timerExec(200, this::refresh);
            }
        });
    }

    /** Rebuilds the rows from the model (UI thread). */
    void refresh() {
        synchronized (this) {
            refreshPending = false;
        }
        if (rows.isDisposed()) {
            return;
        }
        for (Control c : rows.getChildren()) {
            c.dispose();
        }
        List<RunningJobs.Entry> entries = jobs.entries();
        if (entries.isEmpty()) {
            Label none = new Label(rows, SWT.NONE);
            none.setText("No operations to display at this time.");
            none.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        }
        for (RunningJobs.Entry e : entries.reversed()) {
            Label name = new Label(rows, SWT.NONE);
            name.setText(describe(e));
            name.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
            int pct = e.percent();
            ProgressBar bar = new ProgressBar(rows, pct < 0 && !e.done() ? SWT.INDETERMINATE : SWT.HORIZONTAL);
            bar.setMaximum(100);
            bar.setSelection(Math.max(0, pct));
            bar.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
            Button cancel = new Button(rows, SWT.PUSH);
            cancel.setText("Cancel");
            cancel.setEnabled(!e.done());
            cancel.addListener(SWT.Selection, ev -> e.job().cancel());
        }
        rows.setSize(rows.computeSize(scroll.getClientArea().width, SWT.DEFAULT));
        rows.layout(true, true);
    }

    static String describe(RunningJobs.Entry e) {
        StringBuilder b = new StringBuilder(e.name());
        if (!e.task().isEmpty() && !e.task().equals(e.name())) {
            b.append(": ").append(e.task());
        }
        if (e.done()) {
            b.append(e.canceled() ? " (cancelled)" : e.result().isEmpty() || "OK".equals(e.result()) ? " (done)" : " (" + e.result() + ")");
        } else if (e.percent() >= 0) {
            b.append(" (").append(e.percent()).append("%)");
        }
        return b.toString();
    }

    /** Number of job rows shown (tests). */
    public int rowCount() {
        return (int) java.util.Arrays.stream(rows.getChildren()).filter(ProgressBar.class::isInstance).count();
    }
}
