// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.tessera.tracker.core.FrameChanges;
import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.FrameStatus;
import org.tessera.tracker.core.RenderTracker;
import org.tessera.tracker.core.TrackerEvents;
import org.tessera.workbench.BackgroundWork;
import org.tessera.workbench.EventSubscription;
import org.tessera.workbench.ServiceLookup;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * The Render Tracker view: the tracker's projects on the left; the selected project's frames (status,
 * progress bar, job id, image path) with the estimated time left; the selected frame's log below.
 * Failed frames are highlighted; double-click opens the frame image. Tracker events (EventAdmin) make
 * it fetch only the frames changed since the last event id it saw.
 */
public class TrackerPart {
    /** Part (and descriptor) id. */
    public static final String ID = "org.tessera.tracker.ui.part.tracker";
    private static final int COALESCE_MS = 200;

    /** Got in a background job at creation (the service opens its database when it activates). */
    private volatile RenderTracker tracker;

    private Composite root;
    private org.eclipse.swt.widgets.List projects;
    private Label summary;
    private Table frames;
    private Text log;
    private Color errorBackground;
    private Color barColor;
    private EventSubscription events;
    private final Map<Integer, FrameRow> rows = new LinkedHashMap<>();
    private String project;
    private long lastEventId;
    private volatile boolean refreshPending;
    private Job lastJob;

    @PostConstruct
    public void create(Composite parent) {
        root = parent;
        errorBackground = new Color(0xff, 0xdd, 0xdd);
        barColor = new Color(0x3c, 0x9d, 0x4e);
        parent.setLayout(new FillLayout());
        SashForm sash = new SashForm(parent, SWT.HORIZONTAL);
        Composite left = new Composite(sash, SWT.NONE);
        left.setLayout(new GridLayout(1, false));
        new Label(left, SWT.NONE).setText("Projects");
        projects = new org.eclipse.swt.widgets.List(left, SWT.BORDER | SWT.SINGLE | SWT.V_SCROLL);
        projects.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        projects.addListener(SWT.Selection, e -> select(projects.getSelectionCount() == 0 ? null : projects.getSelection()[0]));

        SashForm right = new SashForm(sash, SWT.VERTICAL);
        Composite top = new Composite(right, SWT.NONE);
        top.setLayout(new GridLayout(1, false));
        summary = new Label(top, SWT.NONE);
        summary.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        frames = new Table(top, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE | SWT.V_SCROLL);
        frames.setHeaderVisible(true);
        frames.setLinesVisible(true);
        frames.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        column("Frame", 70, SWT.RIGHT);
        column("Status", 120, SWT.LEFT);
        column("Progress", 170, SWT.LEFT);
        column("Job ID", 80, SWT.RIGHT);
        column("Image", 360, SWT.LEFT);
        frames.addListener(SWT.EraseItem, this::eraseProgress);
        frames.addListener(SWT.PaintItem, this::paintProgress);
        frames.addListener(SWT.Selection, e -> showLog());
        frames.addListener(SWT.DefaultSelection, e -> openImage());

        Composite bottom = new Composite(right, SWT.NONE);
        bottom.setLayout(new GridLayout(1, false));
        new Label(bottom, SWT.NONE).setText("Frame log");
        log = new Text(bottom, SWT.BORDER | SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.WRAP);
        log.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        sash.setWeights(22, 78);
        right.setWeights(72, 28);

        summary.setText("Opening the render tracker ...");
        BackgroundWork.refresh("Opening the render tracker", root, () -> java.util.Optional
                .ofNullable(ServiceLookup.get(TrackerPart.class, RenderTracker.class)), found -> {
                    if (found.isEmpty()) {
                        summary.setText("No render tracker service is running in this workbench.");
                        return;
                    }
                    tracker = found.get();
                    summary.setText("Select a project.");
                    events = EventSubscription.subscribe(TrackerPart.class, event -> scheduleRefresh(), TrackerEvents.ALL);
                    refreshProjects();
                }, e -> summary.setText("Render tracker not available: " + e.getMessage()));
    }

    private void column(String text, int width, int align) {
        TableColumn c = new TableColumn(frames, align);
        c.setText(text);
        c.setWidth(width);
    }

    @PreDestroy
    public void dispose() {
        if (events != null) {
            events.close();
        }
    }

    /** Coalesces bursts of tracker events into one refresh. */
    private void scheduleRefresh() {
        if (refreshPending || root.isDisposed()) {
            return;
        }
        refreshPending = true;
        BackgroundWork.inUi(root, () -> root.getDisplay().timerExec(COALESCE_MS, () -> {
            refreshPending = false;
            if (!root.isDisposed()) {
                refreshProjects();
            }
        }));
    }

    /** Reloads the project list, then the frames changed in the selected project. */
    public Job refreshProjects() {
        String current = project;
        long since = lastEventId;
        lastJob = BackgroundWork.refresh("Reading the render tracker", root, () -> {
            List<String> names = tracker.getAllProjects();
            Update u = current != null && names.contains(current) ? fetch(current, since) : null;
            return new Object[] { names, u };
        }, r -> {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) r[0];
            showProjects(names);
            if (r[1] instanceof Update u && u.project().equals(project)) {
                apply(u);
            }
        }, e -> summary.setText("Tracker not answering: " + e.getMessage()));
        return lastJob;
    }

    /** What one fetch brought: changed rows (all rows when {@code since} was 0), estimate, next event id. */
    private record Update(String project, long since, List<FrameRow> changed, long eventId, double secondsLeft) {
    }

    private Update fetch(String name, long since) {
        FrameChanges changes = tracker.getChangedFrames(name, since);
        List<FrameRow> changed = new ArrayList<>();
        for (FrameInfo f : changes.changes()) {
            changed.add(FrameRow.of(f, tracker.getFrameJobID(name, f.frame()), tracker.getImagePath(name, f.frame())));
        }
        return new Update(name, since, changed, changes.eventId(), tracker.getEstimatedRenderSecondsLeft(name));
    }

    private void showProjects(List<String> names) {
        if (List.of(projects.getItems()).equals(names)) {
            return;
        }
        projects.setItems(names.toArray(String[]::new));
        if (project != null && names.contains(project)) {
            projects.setSelection(names.indexOf(project));
        } else if (project == null && !names.isEmpty()) {
            projects.setSelection(0);
            select(names.getFirst());
        }
    }

    /** Shows a project's frames (fetched in a job). */
    public Job select(String name) {
        project = name;
        lastEventId = 0;
        rows.clear();
        frames.removeAll();
        log.setText("");
        if (name == null) {
            summary.setText("Select a project.");
            return null;
        }
        summary.setText("Loading " + name + " ...");
        lastJob = BackgroundWork.start("Reading frames of " + name, root, () -> fetch(name, 0), u -> {
            if (u.project().equals(project)) {
                apply(u);
            }
        }, e -> summary.setText("Cannot read " + name + ": " + e.getMessage()));
        return lastJob;
    }

    private void apply(Update u) {
        if (u.since() != lastEventId) {
            return; // an older fetch; a newer one covers it
        }
        lastEventId = u.eventId();
        for (FrameRow r : u.changed()) {
            rows.put(r.frame(), r);
        }
        List<FrameRow> sorted = rows.values().stream().sorted((a, b) -> Integer.compare(a.frame(), b.frame())).toList();
        rows.clear();
        sorted.forEach(r -> rows.put(r.frame(), r));
        frames.setRedraw(false);
        frames.setItemCount(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            fill(frames.getItem(i), sorted.get(i));
        }
        frames.setRedraw(true);
        long done = sorted.stream().filter(r -> r.status().isComplete()).count();
        long failed = sorted.stream().filter(r -> r.status() == FrameStatus.ERROR).count();
        summary.setText(u.project() + ":  " + done + " of " + sorted.size() + " frames done"
                + (failed > 0 ? ",  " + failed + " failed" : "") + ",  " + timeLeft(u.secondsLeft()));
        showLog();
    }

    static String timeLeft(double seconds) {
        if (seconds < 0) {
            return "time left: not known yet";
        }
        if (seconds == 0) {
            return "finished";
        }
        long s = Math.round(seconds);
        return String.format("time left: %d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private void fill(TableItem item, FrameRow r) {
        item.setData(r);
        item.setText(new String[] { Integer.toString(r.frame()), r.status().label(), r.percent() + "%",
                String.valueOf(r.jobId()), r.imagePath() == null ? "" : r.imagePath() });
        boolean error = r.status() == FrameStatus.ERROR;
        item.setBackground(error ? errorBackground : null);
        item.setForeground(error ? root.getDisplay().getSystemColor(SWT.COLOR_DARK_RED) : null);
    }

    private void eraseProgress(Event e) {
        if (e.index == 2) {
            e.detail &= ~SWT.FOREGROUND;
        }
    }

    private void paintProgress(Event e) {
        if (e.index != 2 || !(e.item.getData() instanceof FrameRow r)) {
            return;
        }
        GC gc = e.gc;
        Rectangle cell = ((TableItem) e.item).getBounds(2);
        int w = cell.width - 8;
        int h = Math.max(6, cell.height - 8);
        Color old = gc.getBackground();
        gc.setForeground(root.getDisplay().getSystemColor(SWT.COLOR_WIDGET_NORMAL_SHADOW));
        gc.drawRectangle(cell.x + 3, cell.y + 4, w, h);
        gc.setBackground(r.status() == FrameStatus.ERROR ? root.getDisplay().getSystemColor(SWT.COLOR_RED) : barColor);
        gc.fillRectangle(cell.x + 4, cell.y + 5, (w - 1) * r.percent() / 100, h - 1);
        gc.setBackground(old);
        String text = r.percent() + "%";
        var extent = gc.textExtent(text);
        gc.setForeground(root.getDisplay().getSystemColor(SWT.COLOR_BLACK));
        gc.drawText(text, cell.x + 3 + (w - extent.x) / 2, cell.y + (cell.height - extent.y) / 2, true);
    }

    private FrameRow selectedRow() {
        TableItem[] sel = frames.getSelection();
        return sel.length == 0 ? null : (FrameRow) sel[0].getData();
    }

    private void showLog() {
        FrameRow r = selectedRow();
        String name = project;
        if (r == null || name == null) {
            return;
        }
        BackgroundWork.refresh("Reading the log of frame " + r.frame(), root, () -> tracker.getFrameLog(name, r.frame()),
                text -> {
                    FrameRow now = selectedRow();
                    if (now != null && now.frame() == r.frame() && !log.getText().equals(text)) {
                        log.setText(text);
                    }
                }, e -> log.setText("Cannot read the log: " + e.getMessage()));
    }

    private void openImage() {
        FrameRow r = selectedRow();
        if (r == null || r.imagePath() == null || !Files.isReadable(Path.of(r.imagePath()))) {
            summary.setText(r == null ? summary.getText() : "Frame " + r.frame() + ": no image on disk yet");
            return;
        }
        Display display = root.getDisplay();
        BackgroundWork.start("Opening " + r.imagePath(), root, () -> new org.eclipse.swt.graphics.ImageData(r.imagePath()), data -> {
            Shell s = new Shell(root.getShell(), SWT.SHELL_TRIM);
            s.setText("Frame " + r.frame() + " - " + r.imagePath());
            s.setLayout(new FillLayout());
            Image img = new Image(display, data);
            Label l = new Label(s, SWT.NONE);
            l.setImage(img);
            s.addDisposeListener(ev -> img.dispose());
            s.pack();
            s.open();
        }, e -> summary.setText("Cannot open " + r.imagePath() + ": " + e.getMessage()));
    }

    /** Rows shown, in table order (tests). */
    public List<FrameRow> rows() {
        List<FrameRow> out = new ArrayList<>();
        for (TableItem i : frames.getItems()) {
            out.add((FrameRow) i.getData());
        }
        return out;
    }

    /** The frames table (tests). */
    public Table table() {
        return frames;
    }

    /** The summary line (tests). */
    public String summary() {
        return summary.getText();
    }

    /** The log text (tests). */
    public String log() {
        return log.getText();
    }

    /** Projects listed (tests). */
    public List<String> projects() {
        return List.of(projects.getItems());
    }

    /** The job of the last refresh or selection (tests). */
    public Job lastJob() {
        return lastJob;
    }
}
