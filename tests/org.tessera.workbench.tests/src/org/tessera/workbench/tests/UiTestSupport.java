// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.FrameworkUtil;

/**
 * One Display for all UI tests of this bundle (tests run sequentially on one thread), an Xvfb of our
 * own when the build had no DISPLAY (the POM then sets {@code TESSERA_START_XVFB=1} and a display
 * number), parts made through e4 DI, event-loop waits and screenshots.
 */
final class UiTestSupport {
    private static Display display;
    private static Process xvfb;

    private UiTestSupport() {
    }

    static synchronized Display display() {
        if (display == null) {
            if ("1".equals(System.getenv("TESSERA_START_XVFB"))) {
                startXvfb(System.getenv("DISPLAY"));
            }
            display = new Display();
        }
        return display;
    }

    private static void startXvfb(String name) {
        Path socket = Path.of("/tmp/.X11-unix/X" + name.substring(name.indexOf(':') + 1).replaceAll("\\..*", ""));
        if (Files.exists(socket)) {
            return; // an X server already answers there
        }
        try {
            xvfb = new ProcessBuilder("Xvfb", name, "-screen", "0", "1400x900x24", "-nolisten", "tcp")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            fail("DISPLAY is unset and Xvfb could not be started (install the xvfb package): " + e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(xvfb::destroy));
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!Files.exists(socket) && System.nanoTime() < end && xvfb.isAlive()) {
            sleep(50);
        }
        assertTrue(Files.exists(socket), "Xvfb " + name + " did not come up");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A shell of the given size, opened. */
    static Shell shell(String title, int width, int height) {
        Shell shell = new Shell(display());
        shell.setText(title);
        shell.setLayout(new FillLayout());
        shell.setSize(width, height);
        shell.setLocation(0, 0);
        return shell;
    }

    /** A part object made the way the workbench makes it: e4 DI over the OSGi service context. */
    static <T> T makePart(Class<T> type, Composite parent) {
        IEclipseContext ctx = EclipseContextFactory
                .getServiceContext(FrameworkUtil.getBundle(UiTestSupport.class).getBundleContext()).createChild("test part");
        ctx.set(Composite.class, parent);
        T part = ContextInjectionFactory.make(type, ctx);
        parent.addDisposeListener(e -> {
            ContextInjectionFactory.uninject(part, ctx);
            ctx.dispose();
        });
        return part;
    }

    /** Runs the event loop until {@code condition} holds; fails after {@code timeout}. */
    static void waitUntil(String what, Duration timeout, BooleanSupplier condition) {
        Display d = display();
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            // a timer wakes sleep() even when no X event comes
            d.timerExec(20, () -> {
            });
            if (!d.readAndDispatch()) {
                d.sleep();
            }
        }
    }

    /** Waits for a job and then for the UI updates it posted. */
    static void join(Job job) {
        waitUntil(job.getName(), Duration.ofSeconds(60), () -> job.getState() == Job.NONE);
        flush();
    }

    /** Dispatches pending events (async runnables, paints). */
    static void flush() {
        Display d = display();
        for (int i = 0; i < 50; i++) {
            while (d.readAndDispatch()) {
                // drain
            }
            d.timerExec(5, () -> {
            });
            d.sleep();
        }
    }

    /** Saves a PNG of the shell's area under the {@code tessera.screenshots} folder; returns the file. */
    static Path screenshot(Shell shell, String name) throws IOException {
        flush();
        Path folder = Path.of(System.getProperty("tessera.screenshots", "target/screenshots"));
        Files.createDirectories(folder);
        Path file = folder.resolve(name + ".png");
        var area = shell.getClientArea();
        var at = shell.toDisplay(area.x, area.y);
        var size = new org.eclipse.swt.graphics.Point(area.width, area.height);
        Image image = new Image(display(), size.x, size.y);
        GC gc = new GC(display());
        try {
            gc.copyArea(image, at.x, at.y);
            ImageLoader loader = new ImageLoader();
            loader.data = new org.eclipse.swt.graphics.ImageData[] { image.getImageData() };
            loader.save(file.toString(), SWT.IMAGE_PNG);
        } finally {
            gc.dispose();
            image.dispose();
        }
        return file;
    }

    /** Puts a system property back to {@code old}, the value {@link System#setProperty} returned (null: unset). */
    static void restoreProperty(String key, String old) {
        if (old == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, old);
        }
    }
}
