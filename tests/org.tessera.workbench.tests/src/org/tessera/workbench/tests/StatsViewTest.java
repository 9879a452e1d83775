// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.ISeries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.stats.ui.StatsPart;
import org.tessera.stats.core.RenderTimeHistory;

/** The Farm Statistics view, made through e4 DI and driven through its widgets. */
class StatsViewTest {
    @TempDir
    Path tmp;
    private Shell shell;
    private StatsPart part;

    @BeforeEach
    void openView() {
        shell = UiTestSupport.shell("Farm Statistics", 1280, 860);
        part = UiTestSupport.makePart(StatsPart.class, shell);
        shell.open();
        UiTestSupport.flush();
    }

    @AfterEach
    void closeView() {
        shell.dispose();
    }

    private static double sum(Chart chart) {
        return Arrays.stream(chart.getSeriesSet().getSeries()).flatMapToDouble(s -> Arrays.stream(s.getYSeries())).sum();
    }

    private static List<String> seriesNames(Chart chart) {
        return Arrays.stream(chart.getSeriesSet().getSeries()).map(ISeries::getId).toList();
    }

    private void load(Path path) {
        UiTestSupport.join(part.open(path));
        UiTestSupport.waitUntil("stats of " + path, Duration.ofSeconds(10),
                () -> part.snapshot() != null && part.snapshot().source().equals(path));
    }

    @Test
    void liveFolderFillsAllFiveCharts() throws IOException {
        Path folder = SampleFarm.write(tmp.resolve("stats"));
        load(folder);
        assertEquals(4, part.snapshot().files().size(), part.status());
        List<Chart> charts = part.charts();

        assertEquals(List.of("forest", "canyon", "lighthouse").stream().sorted().toList(),
                seriesNames(charts.get(0)).stream().sorted().toList());
        assertEquals(SampleFarm.totalFrames(), Math.round(sum(charts.get(0))), "frames per slot add up to the day's frames");
        assertTrue(charts.get(0).getAxisSet().getXAxis(0).isCategoryEnabled());
        assertEquals(96, charts.get(0).getAxisSet().getXAxis(0).getCategorySeries().length);

        assertEquals(List.of("rendering", "waiting", "idle", "done", "disabled"), seriesNames(charts.get(1)));
        assertEquals(List.of("average", "peak"), seriesNames(charts.get(2)));
        double peakMemory = Arrays.stream(charts.get(2).getSeriesSet().getSeries("peak").getYSeries()).max().orElse(0);
        assertTrue(peakMemory >= 2050 && peakMemory <= 2200, "peak memory per frame " + peakMemory);
        double maxCpu = Arrays.stream(charts.get(3).getSeriesSet().getSeries("machine").getYSeries()).max().orElse(0);
        assertTrue(maxCpu > 50 && maxCpu <= 100, "server CPU " + maxCpu);

        ISeries<?>[] layers = charts.get(4).getSeriesSet().getSeries();
        assertEquals(4, layers.length);
        RenderTimeHistory h = part.snapshot().renderTimes();
        int newest = h.getProject(0).getLayer(0).getFrameTime(0);
        double[] first = charts.get(4).getSeriesSet().getSeries("lighthouse / beauty").getYSeries();
        assertEquals(newest, first[first.length - 1], "newest job drawn last");
        for (Chart c : charts) {
            assertFalse(c.getTitle().getText().contains("no data"), c.getTitle().getText());
        }
        Path png = UiTestSupport.screenshot(shell, "stats-view");
        assertTrue(Files.size(png) > 10_000, "screenshot has content");
    }

    @Test
    void csvExportGoesThroughTheStatsFileTypes() throws IOException {
        Path folder = SampleFarm.write(tmp.resolve("stats"));
        load(folder);
        Path out = tmp.resolve("csv");
        UiTestSupport.join(part.exportCsv(out));
        assertTrue(part.status().startsWith("Exported 4 CSV file(s)"), part.status());
        Path daily = out.resolve(SampleFarm.DAY + ".tds.csv");
        long frames = 0;
        int rows = 0;
        try (Reader r = Files.newBufferedReader(daily)) {
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                rows++;
                if ("project".equals(rec.get("type"))) {
                    frames += Long.parseLong(rec.get("framesRendered"));
                }
            }
        }
        assertTrue(rows > 0);
        assertEquals(SampleFarm.totalFrames(), frames, "the CSV carries the same frames the chart shows");
        for (String name : List.of("server_stats.db.csv", "renderTimes.db.csv", "lighthouse-0042.tfs.csv")) {
            assertTrue(Files.size(out.resolve(name)) > 100, name);
        }
    }

    @Test
    void singleFileFillsWhatItCanAndSaysWhatIsMissing() throws IOException {
        Path folder = SampleFarm.write(tmp.resolve("stats"));
        Path frames = folder.resolve("frames/lighthouse-0042.tfs");
        load(frames);
        List<Chart> charts = part.charts();
        assertTrue(charts.get(0).getTitle().getText().contains("no data"), charts.get(0).getTitle().getText());
        assertEquals(48, charts.get(2).getSeriesSet().getSeries()[0].getYSeries().length, "memory per frame");
        assertTrue(charts.get(3).getTitle().getText().startsWith("CPU per frame of lighthouse-0042"));
    }

    @Test
    void corruptFileIsReportedNotThrown() throws IOException {
        Path bad = Files.write(tmp.resolve("broken.tds"), "not a stats file at all".getBytes());
        UiTestSupport.join(part.open(bad));
        UiTestSupport.waitUntil("error in the status line", Duration.ofSeconds(10), () -> part.status().startsWith("Cannot load"));
        assertTrue(part.status().contains("broken.tds"), part.status());
    }

    @Test
    void liveFolderPicksUpNewFiles() throws IOException {
        Path folder = SampleFarm.write(tmp.resolve("stats"));
        Files.delete(folder.resolve("renderTimes.db"));
        load(folder);
        assertNotNull(part.snapshot());
        assertTrue(part.charts().get(4).getTitle().getText().contains("no data"));
        SampleFarm.renderTimes().write(folder.resolve("renderTimes.db"));
        UiTestSupport.waitUntil("the live reload", Duration.ofSeconds(20), () -> part.snapshot().renderTimes() != null);
        UiTestSupport.flush();
        assertEquals(4, part.charts().get(4).getSeriesSet().getSeries().length);
    }
}
