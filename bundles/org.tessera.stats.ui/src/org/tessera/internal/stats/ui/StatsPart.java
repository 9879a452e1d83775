// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.IBarSeries;
import org.eclipse.swtchart.ILineSeries;
import org.eclipse.swtchart.ISeries;
import org.eclipse.swtchart.ISeries.SeriesType;
import org.eclipse.swtchart.LineStyle;
import org.tessera.stats.core.StatsRecorder;
import org.tessera.workbench.BackgroundWork;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The Farm Statistics view: open a stats file or the farm's live stats folder (reloaded every few
 * seconds while "Live" is on), five SWTChart charts, and CSV export. Loading and export run as jobs.
 */
public class StatsPart {
    /** Part (and descriptor) id. */
    public static final String ID = "org.tessera.stats.ui.part.stats";
    static final int LIVE_RELOAD_MS = 5000;
    static final int MIN_CHARTS_WIDTH = 900;
    static final int MIN_CHARTS_HEIGHT = 520;
    private static final Color[] PALETTE = { new Color(0x3c, 0x6f, 0xb0), new Color(0xe0, 0x8a, 0x2e),
            new Color(0x3c, 0x9d, 0x4e), new Color(0xc0, 0x3b, 0x3b), new Color(0x7b, 0x5c, 0xb8),
            new Color(0x8c, 0x8c, 0x8c) };

    @Inject
    @Optional
    StatsRecorder recorder;

    private Composite root;
    private Label source;
    private Label status;
    private Button live;
    private Button export;
    private final List<Chart> charts = new ArrayList<>();
    private Font titleFont;
    private StatsSnapshot snapshot;
    private Path opened;
    private Job lastJob;

    @PostConstruct
    public void create(Composite parent) {
        root = parent;
        parent.setLayout(new GridLayout(1, false));
        Composite bar = new Composite(parent, SWT.NONE);
        GridLayout bl = new GridLayout(6, false);
        bl.marginHeight = 0;
        bar.setLayout(bl);
        bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        button(bar, "Open File...", "Open one stats file (.tds, .db, .tcs, .tfs)", this::chooseFile);
        button(bar, "Open Folder...", "Open a stats folder (the recorder's layout)", this::chooseFolder);
        Button farm = button(bar, "Farm Live Folder", "The folder this farm's stats recorder writes", this::openLiveFolder);
        farm.setEnabled(recorder != null);
        export = button(bar, "Export CSV...", "Write the loaded files as CSV", this::chooseExport);
        export.setEnabled(false);
        live = new Button(bar, SWT.CHECK);
        live.setText("Live (reload every " + LIVE_RELOAD_MS / 1000 + " s)");
        live.setSelection(true);
        source = new Label(bar, SWT.NONE);
        source.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        status = new Label(parent, SWT.NONE);
        status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        status.setText("Open a stats file or folder.");

        ScrolledComposite scroll = new ScrolledComposite(parent, SWT.V_SCROLL | SWT.H_SCROLL);
        scroll.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        scroll.setExpandHorizontal(true);
        scroll.setExpandVertical(true);
        Composite grid = new Composite(scroll, SWT.NONE);
        grid.setLayout(new GridLayout(3, true));
        scroll.setContent(grid);
        // below this the charts' plot areas vanish behind titles and axes: scroll instead
        scroll.setMinSize(MIN_CHARTS_WIDTH, MIN_CHARTS_HEIGHT);
        FontData[] fd = parent.getFont().getFontData();
        for (FontData d : fd) {
            d.setStyle(SWT.BOLD);
        }
        titleFont = new Font(parent.getDisplay(), fd);
        for (int i = 0; i < 5; i++) {
            Chart chart = new Chart(grid, SWT.NONE);
            chart.getTitle().setFont(titleFont);
            GridData gd = new GridData(SWT.FILL, SWT.FILL, true, true, i == 0 ? 2 : 1, 1);
            chart.setLayoutData(gd);
            charts.add(chart);
        }
        show(StatsCharts.all(StatsSnapshot.NONE));
        if (recorder != null && Files.isDirectory(recorder.folder())) {
            open(recorder.folder());
        }
    }

    @PreDestroy
    public void dispose() {
        if (titleFont != null) {
            titleFont.dispose();
        }
    }

    private Button button(Composite bar, String text, String tip, Runnable action) {
        Button b = new Button(bar, SWT.PUSH);
        b.setText(text);
        b.setToolTipText(tip);
        b.addListener(SWT.Selection, e -> action.run());
        return b;
    }

    private void chooseFile() {
        FileDialog d = new FileDialog(root.getShell(), SWT.OPEN);
        d.setText("Open Stats File");
        d.setFilterExtensions(new String[] { "*.tds;*.db;*.tcs;*.tfs", "*" });
        String f = d.open();
        if (f != null) {
            open(Path.of(f));
        }
    }

    private void chooseFolder() {
        DirectoryDialog d = new DirectoryDialog(root.getShell());
        d.setText("Open Stats Folder");
        String f = d.open();
        if (f != null) {
            open(Path.of(f));
        }
    }

    private void openLiveFolder() {
        if (recorder != null) {
            open(recorder.folder());
        }
    }

    private void chooseExport() {
        if (snapshot == null) {
            return;
        }
        String target;
        if (snapshot.files().size() == 1) {
            FileDialog d = new FileDialog(root.getShell(), SWT.SAVE);
            d.setText("Export CSV");
            d.setFileName(snapshot.files().getFirst().getFileName() + ".csv");
            d.setOverwrite(true);
            target = d.open();
        } else {
            DirectoryDialog d = new DirectoryDialog(root.getShell());
            d.setText("Export CSV: one file per stats file into this folder");
            target = d.open();
        }
        if (target != null) {
            exportCsv(Path.of(target));
        }
    }

    /** Loads a file or folder in a job; the charts update when it is done. */
    public Job open(Path path) {
        opened = path;
        status.setText("Loading " + path + " ...");
        lastJob = BackgroundWork.start("Loading stats from " + path.getFileName(), root, () -> load(path), this::loaded,
                e -> failed("Cannot load " + path + ": " + e.getMessage()));
        return lastJob;
    }

    /** The live folder's periodic reload: a quiet job, the status line keeps what it shows. */
    private void reload(Path path) {
        lastJob = BackgroundWork.refresh("Reloading stats from " + path.getFileName(), root, () -> load(path), this::loaded,
                e -> failed("Cannot load " + path + ": " + e.getMessage()));
    }

    private StatsSnapshot load(Path path) throws java.io.IOException {
        if (recorder != null && path.equals(recorder.folder())) {
            recorder.flush();
        }
        return StatsSnapshot.load(path);
    }

    private void loaded(StatsSnapshot s) {
        if (!s.source().equals(opened)) {
            return; // a newer open() superseded this load
        }
        snapshot = s;
        source.setText(s.source().toString());
        export.setEnabled(!s.files().isEmpty());
        status.setForeground(null);
        status.setText(s.files().size() + " stats file(s): " + String.join(", ",
                s.files().stream().map(p -> p.getFileName().toString()).toList())
                + (s.problems().isEmpty() ? "" : "  —  skipped: " + String.join("; ", s.problems())));
        show(StatsCharts.all(s));
        if (Files.isDirectory(s.source())) {
            root.getDisplay().timerExec(LIVE_RELOAD_MS, () -> {
                if (!root.isDisposed() && live.getSelection() && s.source().equals(opened)) {
                    reload(s.source());
                }
            });
        }
    }

    private void failed(String message) {
        status.setForeground(root.getDisplay().getSystemColor(SWT.COLOR_DARK_RED));
        status.setText(message);
    }

    /** Exports the loaded files as CSV in a job. */
    public Job exportCsv(Path target) {
        List<Path> files = snapshot == null ? List.of() : snapshot.files();
        lastJob = BackgroundWork.start("Exporting stats as CSV", root, monitor -> CsvExport.export(files, target),
                written -> {
                    status.setForeground(null);
                    status.setText("Exported " + written.size() + " CSV file(s) to " + target);
                }, e -> failed("CSV export failed: " + e.getMessage()));
        return lastJob;
    }

    private void show(List<ChartData> data) {
        for (int i = 0; i < charts.size(); i++) {
            draw(charts.get(i), data.get(i));
        }
    }

    static void draw(Chart chart, ChartData data) {
        chart.suspendUpdate(true);
        for (ISeries<?> s : chart.getSeriesSet().getSeries()) {
            chart.getSeriesSet().deleteSeries(s.getId());
        }
        chart.getTitle().setText(data.title());
        IAxis x = chart.getAxisSet().getXAxis(0);
        IAxis y = chart.getAxisSet().getYAxis(0);
        x.getTitle().setText(data.xTitle());
        y.getTitle().setText(data.yTitle());
        if (data.categories() != null && !data.categories().isEmpty()) {
            x.setCategorySeries(data.categories().toArray(String[]::new));
            x.enableCategory(true);
        } else {
            x.enableCategory(false);
        }
        int i = 0;
        for (ChartData.Series s : data.series()) {
            Color c = PALETTE[i++ % PALETTE.length];
            ISeries<?> series = chart.getSeriesSet().createSeries(data.bars() ? SeriesType.BAR : SeriesType.LINE, s.name());
            series.setYSeries(s.values());
            if (series instanceof IBarSeries<?> bar) {
                bar.setBarColor(c);
                bar.setBarPadding(15);
            } else if (series instanceof ILineSeries<?> line) {
                line.setLineColor(c);
                line.setLineWidth(2);
                line.setLineStyle(LineStyle.SOLID);
                line.setSymbolType(ILineSeries.PlotSymbolType.NONE);
            }
            if (data.stacked()) {
                series.enableStack(true);
            }
        }
        chart.getLegend().setVisible(!data.series().isEmpty());
        chart.getAxisSet().adjustRange();
        if (data.stacked() && !data.series().isEmpty()) {
            // adjustRange looks at each series alone; a stack is as high as its sum
            double[] sum = new double[data.series().getFirst().values().length];
            for (ChartData.Series s : data.series()) {
                for (int k = 0; k < Math.min(sum.length, s.values().length); k++) {
                    sum[k] += s.values()[k];
                }
            }
            double top = java.util.Arrays.stream(sum).max().orElse(1);
            y.setRange(new org.eclipse.swtchart.Range(0, Math.max(1, top * 1.08)));
        }
        chart.suspendUpdate(false);
        chart.redraw();
    }

    /** The loaded files, or null (tests). */
    public StatsSnapshot snapshot() {
        return snapshot;
    }

    /** The chart widgets, in {@link StatsCharts#all} order (tests). */
    public List<Chart> charts() {
        return List.copyOf(charts);
    }

    /** The status line text (tests). */
    public String status() {
        return status.getText();
    }

    /** The job of the last open or export (tests). */
    public Job lastJob() {
        return lastJob;
    }
}
