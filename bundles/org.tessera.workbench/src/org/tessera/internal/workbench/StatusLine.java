// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The status line (a tool control in the bottom trim): the newest running job with its progress,
 * else "Ready", and the JVM heap in use. Clicking it opens the Progress view.
 */
public class StatusLine {
    private final RunningJobs jobs = RunningJobs.instance();
    private final Runnable listener = this::scheduleUpdate;
    private Label message;
    private ProgressBar bar;
    private Label heap;
    private volatile boolean pending;

    @Inject
    EPartService parts;
    @Inject
    MApplication application;

    @PostConstruct
    public void create(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(3, false);
        layout.marginHeight = 1;
        c.setLayout(layout);
        message = new Label(c, SWT.NONE);
        message.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        bar = new ProgressBar(c, SWT.HORIZONTAL | SWT.SMOOTH);
        GridData bd = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
        bd.widthHint = 140;
        bd.heightHint = 14;
        bar.setLayoutData(bd);
        heap = new Label(c, SWT.NONE);
        GridData hd = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
        hd.widthHint = 130;
        heap.setLayoutData(hd);
        message.addListener(SWT.MouseDown, e -> parts.showPart(ProgressPart.ID, EPartService.PartState.ACTIVATE));
        jobs.addListener(listener);
        update();
        tickHeap();
    }

    @PreDestroy
    public void dispose() {
        jobs.removeListener(listener);
    }

    private void tickHeap() {
        if (heap.isDisposed()) {
            return;
        }
        Runtime rt = Runtime.getRuntime();
        heap.setText(((rt.totalMemory() - rt.freeMemory()) >> 20) + " of " + (rt.maxMemory() >> 20) + " MB");
        heap.getDisplay().timerExec(2000, this::tickHeap);
    }

    private void scheduleUpdate() {
        if (pending || message.isDisposed()) {
            return;
        }
        pending = true;
        message.getDisplay().asyncExec(() -> {
            if (!message.isDisposed()) {
                message.getDisplay().timerExec(150, this::update);
            }
        });
    }

    private void update() {
        pending = false;
        if (message.isDisposed()) {
            return;
        }
        RunningJobs.Entry e = jobs.current();
        if (e == null) {
            message.setText("Ready");
            bar.setVisible(false);
        } else {
            message.setText(ProgressPart.describe(e));
            bar.setVisible(true);
            bar.setSelection(Math.max(0, e.percent()));
        }
    }
}
