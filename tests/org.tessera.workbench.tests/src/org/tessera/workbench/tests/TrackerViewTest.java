// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.tracker.ui.FrameRow;
import org.tessera.internal.tracker.ui.TrackerPart;
import org.tessera.testing.OsgiServices;
import org.tessera.tracker.core.JobId;
import org.tessera.tracker.core.FrameStatus;
import org.tessera.tracker.core.RenderTracker;

/** The Render Tracker view over the real tracker service, updated live by its EventAdmin events. */
class TrackerViewTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    static Path work;
    private static RenderTracker tracker;
    private Shell shell;
    private TrackerPart part;

    @BeforeAll
    static void service() {
        tracker = OsgiServices.get(RenderTracker.class);
    }

    @BeforeEach
    void openView() {
        shell = UiTestSupport.shell("Render Tracker", 1100, 620);
        part = UiTestSupport.makePart(TrackerPart.class, shell);
        shell.open();
    }

    @AfterEach
    void closeView() {
        shell.dispose();
    }

    private FrameRow row(int frame) {
        return part.rows().stream().filter(r -> r.frame() == frame).findFirst().orElse(null);
    }

    @Test
    void framesUpdateLiveWithErrorsHighlightedAndLogs() throws IOException {
        String project = "ann:/shots/lighthouse-" + System.nanoTime() + ".pov";
        tracker.startedRenderProject(project, IntStream.rangeClosed(1, 24).boxed().toList(), false, 4711);
        UiTestSupport.waitUntil("the project in the list", WAIT, () -> part.projects().contains(project));
        UiTestSupport.join(part.select(project));
        UiTestSupport.waitUntil("24 frames", WAIT, () -> part.rows().size() == 24);
        assertTrue(part.rows().stream().allMatch(r -> r.status() == FrameStatus.WAITING && JobId.of(4711).equals(r.jobId())));

        Path image = work.resolve("lighthouse.0001.png");
        ImageLoader png = new ImageLoader();
        png.data = new ImageData[] { new ImageData(64, 48, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF)) };
        png.save(image.toString(), SWT.IMAGE_PNG);
        for (int f = 1; f <= 9; f++) {
            tracker.startedFrameRender(project, f, 4800 + f, work.resolve("lighthouse.%04d.png".formatted(f)).toString());
        }
        for (int f = 1; f <= 6; f++) {
            tracker.setFrameRenderFraction(project, f, 1.0);
        }
        tracker.setFrameRenderFraction(project, 7, 0.5);
        tracker.setFrameRenderFraction(project, 8, 0.25);
        tracker.setFrameError(project, 9, "povray exited with code 139 (segmentation fault)");

        UiTestSupport.waitUntil("live updates", WAIT, () -> row(9) != null && row(9).status() == FrameStatus.ERROR
                && row(7).status() == FrameStatus.RENDERING && row(7).percent() == 50 && row(6).status().isComplete());
        assertEquals(JobId.of(4807), row(7).jobId());
        assertEquals(image.toString(), row(1).imagePath());
        UiTestSupport.waitUntil("the summary", WAIT, () -> part.summary().contains("6 of 24 frames done,  1 failed"));

        Table table = part.table();
        int errorIndex = part.rows().indexOf(row(9));
        assertNotEquals(table.getItem(0).getBackground(), table.getItem(errorIndex).getBackground(), "error row highlighted");
        table.setSelection(errorIndex);
        table.notifyListeners(SWT.Selection, new Event());
        UiTestSupport.waitUntil("the frame log", WAIT, () -> part.log().contains("segmentation fault"));
        table.setSelection(6);
        UiTestSupport.flush();
        UiTestSupport.screenshot(shell, "tracker-view");

        table.setSelection(0);
        table.notifyListeners(SWT.DefaultSelection, new Event());
        UiTestSupport.waitUntil("the frame image window", WAIT, () -> Arrays.stream(shell.getDisplay().getShells())
                .anyMatch(s -> s.getText().startsWith("Frame 1 - ")));
        List.of(shell.getDisplay().getShells()).stream().filter(s -> s.getText().startsWith("Frame 1 - ")).forEach(Shell::dispose);
    }
}
