// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.tessera.core.FrameRange;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderJob;
import org.tessera.cluster.core.ClusterService;
import org.tessera.cluster.core.DisplaySettings;
import org.tessera.render.core.DisplayOptions;
import org.tessera.render.core.RenderProgress;
import org.tessera.render.core.RenderProgressListener;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderResult;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.TilePixels;
import org.tessera.render.core.TileRenderer;
import org.tessera.workbench.BackgroundWork;
import org.tessera.workbench.ServiceLookup;
import org.tessera.workbench.TesseraPreferences;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/**
 * The Render view: scene, frames, size, engine, tile size, workers; Render runs the job as an Eclipse
 * Job through the {@link TileRenderer}, which renders on the running cluster's nodes when a cluster was
 * started (the Cluster view) and in-process otherwise. The live image shows every tile with its pixels
 * as the renderer accepts it ({@link RenderProgressListener#tileFinished}); "Show tiles" draws tile
 * borders and the name of the node or worker that rendered each; zoom; Save Image. The services are
 * got in a background job, so opening the view never waits for them to activate.
 */
public class RenderPart {
    /** Part (and descriptor) id. */
    public static final String ID = "org.tessera.render.ui.part.render";
    private static final int[] ZOOMS = { 0, 25, 50, 100, 200 };

    /** Closes the workbench after a self-test ({@link RenderSelfTest}); absent outside a workbench. */
    @Inject
    @Optional
    IWorkbench workbench;

    private volatile TileRenderer renderer;
    private volatile ClusterService cluster;

    private Composite root;
    private Text scene;
    private Text frames;
    private Spinner width;
    private Spinner height;
    private Combo engine;
    private Spinner workers;
    private Spinner tileSize;
    private Text povrayOptions;
    private Text povrayIni;
    private Button showTiles;
    private Button stereo;
    private Combo zoom;
    private Button render;
    private Button cancel;
    private Button save;
    private Label status;
    private ProgressBar progress;
    private Canvas canvas;
    private final Map<Integer, LiveImage> images = new ConcurrentHashMap<>();
    private volatile LiveImage current;
    private volatile boolean repaintPending;
    private Job job;
    private Job ready;
    private RenderJob renderJob;

    @PostConstruct
    public void create(Composite parent) {
        root = parent;
        parent.setLayout(new GridLayout(1, false));
        Composite form = row(parent, 5);
        label(form, "Scene:");
        scene = new Text(form, SWT.BORDER);
        scene.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        scene.setMessage("scene file (.json for the raytracer, .pov for POV-Ray, .blend for Blender)");
        Button browse = new Button(form, SWT.PUSH);
        browse.setText("Browse...");
        browse.addListener(SWT.Selection, e -> chooseScene());
        render = new Button(form, SWT.PUSH);
        render.setText("Render");
        render.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, false, false));
        render.addListener(SWT.Selection, e -> start());
        cancel = new Button(form, SWT.PUSH);
        cancel.setText("Cancel");
        cancel.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, false, false));
        cancel.setEnabled(false);
        cancel.addListener(SWT.Selection, e -> cancel());

        form = row(parent, 10);
        label(form, "Frames:");
        frames = new Text(form, SWT.BORDER);
        frames.setText("1");
        frames.setToolTipText(FrameRange.GRAMMAR);
        frames.setLayoutData(new GridData(70, SWT.DEFAULT));
        label(form, "Size:");
        Composite size = new Composite(form, SWT.NONE);
        GridLayout sl = new GridLayout(3, false);
        sl.marginWidth = 0;
        sl.marginHeight = 0;
        size.setLayout(sl);
        width = spinner(size, 640, 16, 16384);
        label(size, "x");
        height = spinner(size, 360, 16, 16384);
        label(form, "Engine:");
        engine = new Combo(form, SWT.READ_ONLY);
        engine.setLayoutData(new GridData(110, SWT.DEFAULT));
        label(form, "Tile:");
        tileSize = spinner(form, TesseraPreferences.getInt(TesseraPreferences.TILE_SIZE), 8, RenderRequest.MAX_TILE_SIZE);
        tileSize.setToolTipText("Tile edge in pixels, for engines that cut a grid (the raytracer); POV-Ray renders row bands");
        label(form, "Workers:");
        workers = spinner(form, Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 256);
        workers.setToolTipText("In-process workers when no cluster runs; a running cluster renders on its nodes");

        form = row(parent, 4);
        label(form, "POV-Ray options:");
        povrayOptions = new Text(form, SWT.BORDER);
        povrayOptions.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        povrayOptions.setMessage("e.g. +Q9 +A0.1 +AM2 +R3 (every tile gets them)");
        povrayOptions.setToolTipText("POV-Ray's own switches or Key=Value pairs; output, region, size, clock, display, "
                + "pause and shell-command options are refused by name");
        label(form, "INI:");
        povrayIni = new Text(form, SWT.BORDER);
        povrayIni.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        povrayIni.setMessage("a POV-Ray .ini file (optional)");

        Composite view = new Composite(parent, SWT.NONE);
        view.setLayout(new GridLayout(7, false));
        view.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        showTiles = new Button(view, SWT.CHECK);
        showTiles.setText("Show tiles");
        showTiles.setSelection(true);
        showTiles.setToolTipText("Tile borders and node names in this view (the cluster's setShowTiles)");
        showTiles.addListener(SWT.Selection, e -> {
            ClusterService c = cluster;
            boolean on = showTiles.getSelection();
            if (c != null && c.getShowTiles() != on) {
                // tells the running nodes: never on the UI thread
                Job.create("Show tiles on the cluster", m -> {
                    c.setShowTiles(on);
                }).schedule();
            }
            canvas.redraw();
        });
        stereo = new Button(view, SWT.CHECK);
        stereo.setText("Stereo");
        stereo.setToolTipText("Render a left and a right eye per frame (*_left.png, *_right.png) with the cluster's eye"
                + " separation and zero parallax (built-in raytracer)");
        label(view, "Zoom:");
        zoom = new Combo(view, SWT.READ_ONLY);
        for (int z : ZOOMS) {
            zoom.add(z == 0 ? "Fit" : z + "%");
        }
        zoom.select(0);
        zoom.addListener(SWT.Selection, e -> canvas.redraw());
        save = new Button(view, SWT.PUSH);
        save.setText("Save Image...");
        save.setEnabled(false);
        save.addListener(SWT.Selection, e -> chooseSave());
        status = new Label(view, SWT.NONE);
        status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        progress = new ProgressBar(view, SWT.HORIZONTAL);
        GridData pd = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
        pd.widthHint = 160;
        progress.setLayoutData(pd);

        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.BORDER);
        canvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        canvas.setBackground(parent.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
        canvas.addPaintListener(e -> paint(e.gc));

        render.setEnabled(false);
        status.setText("Looking for the tile renderer ...");
        // activating the renderer binds the tracker, which opens its database: not on the UI thread
        ready = BackgroundWork.refresh("Opening the tile renderer", root, () -> {
            cluster = ServiceLookup.get(RenderPart.class, ClusterService.class);
            return java.util.Optional.ofNullable(ServiceLookup.get(RenderPart.class, TileRenderer.class));
        }, found -> {
            if (found.isEmpty()) {
                status.setText("No tile renderer in this workbench.");
                return;
            }
            renderer = found.get();
            followClusterShowTiles();
            refreshEngines();
            render.setEnabled(true);
            status.setText("Pick a scene and press Render.");
            if (RenderSelfTest.asked()) {
                RenderSelfTest.run(this, root, () -> {
                    if (workbench != null) {
                        workbench.close();
                    }
                });
            }
        }, e -> status.setText("No tile renderer: " + e.getMessage()));
    }

    /** The job that looks the services up at creation (tests wait for it). */
    public Job ready() {
        return ready;
    }

    /** Lists the engines registered now (engines of bundles installed later included), keeping the choice. */
    public void refreshEngines() {
        List<String> names = renderer.engines().stream().map(RenderEngine::name).sorted().toList();
        String chosen = engine.getSelectionIndex() < 0 ? TesseraPreferences.get(TesseraPreferences.DEFAULT_ENGINE)
                : engine.getText();
        engine.setItems(names.toArray(String[]::new));
        engine.select(Math.max(0, names.indexOf(chosen)));
    }

    /** The engine names offered (tests). */
    public List<String> engines() {
        return List.of(engine.getItems());
    }

    /** A row of the form: its own columns, so the rows need not line up column by column. */
    private static Composite row(Composite parent, int columns) {
        Composite row = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(columns, false);
        layout.marginHeight = 0;
        row.setLayout(layout);
        row.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        return row;
    }

    private static void label(Composite c, String text) {
        new Label(c, SWT.NONE).setText(text);
    }

    private static Spinner spinner(Composite c, int value, int min, int max) {
        Spinner s = new Spinner(c, SWT.BORDER);
        s.setValues(value, min, max, 0, 1, 10);
        return s;
    }

    private void chooseScene() {
        FileDialog d = new FileDialog(root.getShell(), SWT.OPEN);
        d.setFilterExtensions(new String[] { "*.json;*.pov;*.blend", "*" });
        String f = d.open();
        if (f != null) {
            scene.setText(f);
        }
    }

    private void chooseSave() {
        FileDialog d = new FileDialog(root.getShell(), SWT.SAVE);
        d.setFileName("frame-" + current.frame() + ".png");
        d.setOverwrite(true);
        String f = d.open();
        if (f != null) {
            saveImage(Path.of(f));
        }
    }

    /** Sets the form (tests and the command handlers); the tile size stays as it is. */
    public void setRequest(Path sceneFile, String frameExpression, int w, int h, String engineName, int workerCount) {
        scene.setText(sceneFile.toString());
        frames.setText(frameExpression);
        width.setSelection(w);
        height.setSelection(h);
        int i = List.of(engine.getItems()).indexOf(engineName);
        if (i >= 0) {
            engine.select(i);
        }
        workers.setSelection(workerCount);
    }

    /** With a cluster service, the Show tiles box shows its setting (VRED's setShowTiles). */
    private void followClusterShowTiles() {
        ClusterService c = cluster;
        if (c != null && !showTiles.isDisposed()) {
            showTiles.setSelection(c.getShowTiles());
        }
    }

    /** Whether tile borders and node names are drawn over the live image. */
    public boolean showsTiles() {
        return showTiles.getSelection();
    }

    /** Sets the Stereo box (tests). */
    public void setStereo(boolean on) {
        stereo.setSelection(on);
    }

    /** Sets the POV-Ray options and INI file fields (tests). */
    public void setPovrayOptions(String options, String iniFile) {
        povrayOptions.setText(options == null ? "" : options);
        povrayIni.setText(iniFile == null ? "" : iniFile);
    }

    /** Sets the tile size field (tests). */
    public void setTileSize(int pixels) {
        tileSize.setSelection(pixels);
    }

    /** Starts rendering what the form says; frames go next to the scene. Returns the Eclipse job. */
    public Job start() {
        if (renderer == null) {
            return null;
        }
        FrameRange range;
        try {
            range = FrameRange.parse(frames.getText().trim());
        } catch (IllegalArgumentException e) {
            status.setText("Frames: " + e.getMessage());
            return null;
        }
        RenderScene s = RenderScene.ofFile(Path.of(scene.getText().trim()));
        int w = width.getSelection();
        int h = height.getSelection();
        String eng = engine.getSelectionIndex() < 0 ? null : engine.getText();
        int count = workers.getSelection();
        String output = "render/" + s.mainFile().replaceAll("\\.[^.]*$", "") + ".####.png";
        // no workers named: the renderer takes the running cluster's nodes, else `count` in-process workers
        String ini = "";
        String iniFile = povrayIni.getText().trim();
        if (!iniFile.isEmpty()) {
            try {
                ini = java.nio.file.Files.readString(Path.of(iniFile), java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException | RuntimeException e) {
                status.setText("INI file " + iniFile + " cannot be read: " + e.getMessage());
                return null;
            }
        }
        followClusterShowTiles();
        ClusterService c = cluster;
        DisplayOptions display = DisplayOptions.NONE;
        if (stereo.getSelection()) {
            // the cluster's display settings (setEyeSeparation, setZeroParallax), as VRED's render window uses them
            DisplaySettings ds = c == null ? DisplaySettings.DEFAULT : c.getConfigModel().display();
            display = display.withStereo(true).withEyeSeparation(ds.eyeSeparation()).withZeroParallax(ds.zeroParallax());
        }
        RenderRequest request = RenderRequest.of(s, range, w, h, output).withEngine(eng)
                .withProject(s.file().toString(), System.getProperty("user.name")).withLocalWorkers(count)
                .withTileSize(tileSize.getSelection()).withDisplay(display)
                .withEngineOptions(povrayOptions.getText().trim(), ini);
        List<String> nodes = c != null && c.isRunning() ? c.getRunningNodes() : List.of();
        String where = nodes.isEmpty() ? "in-process, " + count + " worker(s)" : "on " + nodes.size() + " cluster node(s)";
        images.clear();
        current = new LiveImage(w, h, range.first());
        images.put(range.first(), current);
        canvas.redraw();
        render.setEnabled(false);
        cancel.setEnabled(true);
        save.setEnabled(false);
        job = new Job("Rendering " + s.mainFile() + " frames " + range) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                monitor.beginTask("Rendering " + s.mainFile(), 1000);
                int[] reported = { 0 };
                try {
                    RenderResult result = null;
                    for (RenderRequest eye : request.eyes()) {
                    renderJob = renderer.start(eye, new RenderProgressListener() {
                        @Override
                        public void progress(RenderProgress p) {
                            int now = (int) Math.round(p.fraction() * 1000);
                            synchronized (reported) {
                                monitor.worked(now - reported[0]);
                                reported[0] = Math.max(reported[0], now);
                            }
                            monitor.subTask(p.tilesDone() + "/" + p.tilesTotal() + " tiles, " + p.framesDone() + "/"
                                    + p.framesTotal() + " frames");
                            BackgroundWork.inUi(root, () -> showProgress(p));
                        }

                        @Override
                        public void tileFinished(int frame, TilePixels pixels, String node) {
                            arrived(frame, pixels, node);
                        }
                    });
                    result = renderJob.await();
                    if (result.error() != null || monitor.isCanceled()) {
                        break;
                    }
                    }
                    RenderResult last = result;
                    BackgroundWork.inUi(root, () -> finished(last));
                    return last.error() == null ? Status.OK_STATUS
                            : new Status(IStatus.WARNING, "org.tessera.render.ui", last.error());
                } catch (RenderException e) {
                    BackgroundWork.inUi(root, () -> failed(e.getMessage()));
                    return new Status(IStatus.WARNING, "org.tessera.render.ui", e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Status.CANCEL_STATUS;
                }
            }

            @Override
            protected void canceling() {
                RenderJob r = renderJob;
                if (r != null) {
                    r.cancel();
                }
            }
        };
        job.setUser(true);
        job.schedule();
        status.setText("Rendering " + where + " ...");
        return job;
    }

    private void arrived(int frame, TilePixels pixels, String worker) {
        LiveImage img = images.computeIfAbsent(frame, f -> new LiveImage(current.width(), current.height(), f));
        img.paste(pixels, worker);
        current = img;
        if (!repaintPending) {
            repaintPending = true;
            BackgroundWork.inUi(root, () -> root.getDisplay().timerExec(40, () -> {
                repaintPending = false;
                if (!canvas.isDisposed()) {
                    canvas.redraw();
                }
            }));
        }
    }

    private void showProgress(RenderProgress p) {
        progress.setSelection((int) Math.round(p.fraction() * 100));
        long eta = p.etaMillis();
        status.setText(p.tilesDone() + " of " + p.tilesTotal() + " tiles, " + p.framesDone() + " of " + p.framesTotal()
                + " frames" + (eta >= 0 ? ", about " + Math.max(1, eta / 1000) + " s left" : ""));
    }

    private void finished(RenderResult r) {
        render.setEnabled(true);
        cancel.setEnabled(false);
        save.setEnabled(current != null);
        progress.setSelection(r.error() == null ? 100 : progress.getSelection());
        status.setText(r.state() + ": " + r.written().size() + " frame(s) written, " + r.tilesRendered() + " tiles in "
                + r.millis() + " ms" + (r.error() == null ? "" : " - " + r.error()));
        canvas.redraw();
    }

    private void failed(String message) {
        render.setEnabled(true);
        cancel.setEnabled(false);
        status.setText("Cannot render: " + message);
    }

    private void cancel() {
        if (job != null) {
            job.cancel();
        }
    }

    /** Writes the frame shown as PNG, in a job. */
    public Job saveImage(Path file) {
        LiveImage img = current;
        return BackgroundWork.start("Saving " + file.getFileName(), root, () -> {
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] { img.snapshot() };
            loader.save(file.toString(), SWT.IMAGE_PNG);
            return file;
        }, f -> status.setText("Saved " + f), e -> status.setText("Cannot save: " + e.getMessage()));
    }

    private double scale(Rectangle area, int w, int h) {
        int z = ZOOMS[Math.max(0, zoom.getSelectionIndex())];
        return z == 0 ? Math.min((double) area.width / w, (double) area.height / h) : z / 100.0;
    }

    private void paint(GC gc) {
        LiveImage img = current;
        if (img == null) {
            gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_WIDGET_LIGHT_SHADOW));
            String hint = "Tiles appear here as the workers render them.";
            Point ext = gc.textExtent(hint);
            Rectangle a = canvas.getClientArea();
            gc.drawText(hint, (a.width - ext.x) / 2, (a.height - ext.y) / 2, true);
            return;
        }
        ImageData data = img.snapshot();
        Rectangle area = canvas.getClientArea();
        double s = scale(area, data.width, data.height);
        int dw = (int) Math.round(data.width * s);
        int dh = (int) Math.round(data.height * s);
        int ox = Math.max(0, (area.width - dw) / 2);
        int oy = Math.max(0, (area.height - dh) / 2);
        Image image = new Image(gc.getDevice(), data);
        try {
            gc.drawImage(image, 0, 0, data.width, data.height, ox, oy, dw, dh);
        } finally {
            image.dispose();
        }
        if (!showTiles.getSelection()) {
            return;
        }
        Color border = new Color(0xff, 0xd0, 0x40);
        Color shade = new Color(0x10, 0x10, 0x10);
        gc.setForeground(border);
        boolean oneHost = img.tiles().stream().map(t -> t.worker().replaceAll(":[^:]*$", "")).distinct().count() == 1;
        for (LiveImage.ArrivedTile t : img.tiles()) {
            int x = ox + (int) Math.round(t.tile().x() * s);
            int y = oy + (int) Math.round(t.tile().y() * s);
            int w = (int) Math.round(t.tile().width() * s);
            int h = (int) Math.round(t.tile().height() * s);
            gc.drawRectangle(x, y, Math.max(1, w - 1), Math.max(1, h - 1));
            String name = fittingName(gc, t.worker(), w - 4, oneHost);
            Point ext = name == null ? null : gc.textExtent(name);
            if (ext != null && ext.y + 2 < h) {
                gc.setAlpha(150);
                gc.setBackground(shade);
                gc.fillRectangle(x + 1, y + 1, ext.x + 3, ext.y + 1);
                gc.setAlpha(255);
                gc.drawText(name, x + 2, y + 1, true);
            }
        }
    }

    /**
     * The worker's name as it fits {@code width} pixels: the whole {@code host:port}, else the part that
     * tells the nodes apart — the {@code :port} when all nodes run on one host (a local cluster), else
     * the host; null when nothing fits.
     */
    static String fittingName(GC gc, String name, int width, boolean oneHost) {
        int colon = name.lastIndexOf(':');
        List<String> candidates = colon <= 0 ? List.of(name)
                : List.of(name, oneHost ? name.substring(colon) : name.substring(0, colon));
        for (String c : candidates) {
            if (gc.textExtent(c).x <= width) {
                return c;
            }
        }
        return null;
    }

    /** The frame shown (tests). */
    public LiveImage image() {
        return current;
    }

    /** The status text (tests). */
    public String status() {
        return status.getText();
    }
}
