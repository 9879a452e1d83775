// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.swt.widgets.Control;
import org.tessera.workbench.BackgroundWork;

/**
 * A documented self-test of the installed workbench ({@code docs/workbench.md}): started with
 * {@code -Dtessera.render.selfTest=<scene file>} (and {@code -Dtessera.workbench.activate=}
 * {@value RenderPart#ID} so the Render view opens), the view writes the engines it offers to the report
 * file ({@code -Dtessera.render.selfTest.report}, default {@code render-self-test.txt}), renders frame 1
 * of the scene at 96 x 64 with the engine {@code -Dtessera.render.selfTest.engine} (default: the view's
 * choice), writes the outcome and closes the workbench. Tests use it to show that an engine installed
 * from a p2 repository appears in the view and renders, and is gone after uninstalling.
 * <p>
 * Report lines: {@code engines=a,b}, then either {@code result=NO_ENGINE <name>} or
 * {@code result=<status line>}, {@code tiles=<n>}, {@code workers=<names>} and {@code pixels=<0xRRGGBB>,...}
 * (the first row, one pixel every 8).
 */
final class RenderSelfTest {
    static final String SCENE = "tessera.render.selfTest";
    static final String ENGINE = "tessera.render.selfTest.engine";
    static final String REPORT = "tessera.render.selfTest.report";

    private RenderSelfTest() {
    }

    static boolean asked() {
        String scene = System.getProperty(SCENE);
        return scene != null && !scene.isBlank();
    }

    /** Runs the self-test on {@code part} (on the UI thread), then {@code close}s the workbench. */
    static void run(RenderPart part, Control owner, Runnable close) {
        List<String> lines = new ArrayList<>();
        lines.add("engines=" + String.join(",", part.engines()));
        String engine = System.getProperty(ENGINE);
        if (engine != null && !part.engines().contains(engine)) {
            lines.add("result=NO_ENGINE " + engine);
            finish(lines, close);
            return;
        }
        part.setRequest(Path.of(System.getProperty(SCENE)), "1", 96, 64, engine, 2);
        Job job = part.start();
        if (job == null) {
            lines.add("result=NOT_STARTED " + part.status());
            finish(lines, close);
            return;
        }
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                // the view's own completion runs on the UI thread first; queue behind it
                BackgroundWork.inUi(owner, () -> BackgroundWork.inUi(owner, () -> {
                    LiveImage image = part.image();
                    lines.add("result=" + part.status());
                    lines.add("tiles=" + image.tiles().size());
                    lines.add("workers=" + image.tiles().stream().map(LiveImage.ArrivedTile::worker).distinct().sorted()
                            .collect(Collectors.joining(",")));
                    StringBuilder px = new StringBuilder();
                    for (int x = 0; x < image.width(); x += 8) {
                        px.append(px.isEmpty() ? "" : ",").append(String.format("0x%06x", image.pixel(x, 0)));
                    }
                    lines.add("pixels=" + px);
                    finish(lines, close);
                }));
            }
        });
    }

    private static void finish(List<String> lines, Runnable close) {
        Path report = Path.of(System.getProperty(REPORT, "render-self-test.txt"));
        try {
            Files.write(report, lines);
        } catch (IOException e) {
            System.err.println("tessera render self-test: cannot write " + report + ": " + e);
        }
        System.out.println("tessera render self-test: " + String.join("; ", lines));
        close.run();
    }
}
