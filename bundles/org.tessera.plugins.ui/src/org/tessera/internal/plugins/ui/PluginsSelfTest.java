// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.plugins.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.core.commands.ParameterizedCommand;
import org.eclipse.e4.core.commands.ECommandService;
import org.eclipse.e4.core.commands.EHandlerService;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.menu.MMenu;
import org.eclipse.e4.ui.model.application.ui.menu.MMenuElement;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.EPartService.PartState;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.TableItem;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.tessera.plugins.core.PluginChange;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderScene;
import org.tessera.render.core.RenderSettings;
import org.tessera.render.core.Tile;
import org.tessera.render.core.TilePixels;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/**
 * The documented self-test of Help &gt; Install Plugins... ({@code docs/workbench.md}): started with
 * {@code -Dtessera.plugins.selfTest=<p2 repository folder or URL>}, the workbench, once up, runs the Install
 * Plugins command from the Help menu, types the repository into the dialog and presses Add, checks the
 * features {@code -Dtessera.plugins.selfTest.features} (default: the two example features) and presses
 * Install; it then uses what was installed without a restart, the example engine (renders one row of the
 * {@code -Dtessera.plugins.selfTest.scene} checker scene through the installed RenderEngine service) and the
 * example view (opens it), closes the view, checks the features under "Installed" and presses Uninstall,
 * writes its report ({@code -Dtessera.plugins.selfTest.report}, default {@code plugins-self-test.txt}) and
 * closes the workbench.
 * <p>
 * Report lines, in order: {@code menu=}, {@code badRepository=} (the dialog's message for a local
 * repository's {@code plugins} folder, which is no repository; only for a local repository), {@code available=} (feature ids), {@code install=} (the dialog's
 * status line), {@code installRestart=true|false}, {@code engines=}, {@code pixels=} (0xRRGGBB every 8 pixels
 * of row 0, frame 1), {@code descriptor=present|absent}, {@code view=} (the part's class), {@code installed=},
 * {@code uninstall=}, {@code uninstallRestart=}, {@code enginesAfter=}, {@code descriptorAfter=}; and
 * {@code error=} when a step failed or timed out.
 */
public class PluginsSelfTest {
    static final String REPOSITORY = "tessera.plugins.selfTest";
    static final String FEATURES = "tessera.plugins.selfTest.features";
    static final String SCENE = "tessera.plugins.selfTest.scene";
    static final String REPORT = "tessera.plugins.selfTest.report";
    static final String COMMAND = "org.tessera.plugins.ui.command.install";
    static final String MENU_ITEM = "org.tessera.plugins.ui.menuitem.install";
    static final String EXAMPLE_ENGINE = "checker";
    static final String EXAMPLE_PART = "org.tessera.examples.checker.ui.part";
    private static final long STEP_MILLIS = 180_000;

    private final List<String> lines = new ArrayList<>();
    private MApplication app;
    private Display display;
    private PluginsDialog dialog;
    private List<String> features;

    private String repository;
    private ECommandService commands;
    private EHandlerService handlers;

    @PostConstruct
    public void init(MApplication application, ECommandService commandService, EHandlerService handlerService) {
        repository = System.getProperty(REPOSITORY);
        if (repository == null || repository.isBlank()) {
            return;
        }
        this.app = application;
        this.commands = commandService;
        this.handlers = handlerService;
        this.features = Arrays.asList(System.getProperty(FEATURES,
                "org.tessera.examples.feature,org.tessera.examples.ui.feature").split(","));
        System.err.println("plugins self-test: waiting for the workbench to start");
    }

    @Inject
    @Optional
    public void startupComplete(@UIEventTopic(UIEvents.UILifeCycle.APP_STARTUP_COMPLETE) org.osgi.service.event.Event event) {
        if (app == null) {
            return;
        }
        System.err.println("plugins self-test: starting with " + repository);
        display = Display.getDefault();
        display.asyncExec(() -> start(repository, commands, handlers));
    }

    private void start(String repository, ECommandService commands, EHandlerService handlers) {
        try {
            MMenuElement item = findMenuItem(app.getChildren().get(0).getMainMenu());
            lines.add("menu=" + (item == null ? "(none)" : item.getParent().getElementId() + "/" + item.getLabel()));
            ParameterizedCommand command = commands.createCommand(COMMAND, null);
            Object opened = handlers.executeHandler(command);
            if (!(opened instanceof PluginsDialog d)) {
                finish("the command did not open the dialog: " + opened);
                return;
            }
            dialog = d;
            // the dialog lists what is installed first; its buttons work once that is done
            await("open the dialog", () -> !dialog.busy(), () -> {
                // a folder that is no repository (a local repository's plugins folder) is refused with a message
                Path notARepository = repository.contains(":/") ? null : Path.of(repository, "plugins");
                if (notARepository != null && Files.isDirectory(notARepository)) {
                    dialog.repository.setText(notARepository.toString());
                    dialog.add.notifyListeners(SWT.Selection, new Event());
                    await("refuse a folder that is no repository", () -> !dialog.busy() && dialog.lastError() != null, () -> {
                        lines.add("badRepository=" + dialog.lastError());
                        addRepository();
                    });
                } else {
                    addRepository();
                }
            });
        } catch (RuntimeException e) {
            finish("opening the dialog failed: " + e);
        }
    }

    private void addRepository() {
        dialog.repository.setText(System.getProperty(REPOSITORY));
        dialog.add.notifyListeners(SWT.Selection, new Event());
        await("list the repository's features",
                () -> !dialog.busy() && (dialog.lastError() != null || hasAll(dialog.available.getItems())), this::install);
    }

    private void install() {
        if (dialog.lastError() != null) {
            finish("adding the repository failed: " + dialog.lastError());
            return;
        }
        List<String> listed = new ArrayList<>();
        for (TableItem item : dialog.available.getItems()) {
            listed.add(item.getText(1));
            item.setChecked(features.contains(item.getText(1)));
        }
        lines.add("available=" + String.join(",", listed));
        dialog.install.notifyListeners(SWT.Selection, new Event());
        await("install", () -> !dialog.busy() && (dialog.lastError() != null || dialog.lastChange() != null), this::useInstalled);
    }

    private void useInstalled() {
        if (dialog.lastError() != null) {
            finish("install failed: " + dialog.lastError());
            return;
        }
        lines.add("install=" + dialog.statusText());
        lines.add("installRestart=" + dialog.lastChange().restartNeeded());
        await("the example engine service", () -> engine() != null, () -> {
            lines.add("engines=" + String.join(",", engineNames()));
            lines.add("pixels=" + renderRow(engine()));
            await("the example view's descriptor", () -> hasDescriptor(), () -> {
                lines.add("descriptor=present");
                EPartService parts = app.getChildren().get(0).getContext().get(EPartService.class);
                MPart part = parts.showPart(EXAMPLE_PART, PartState.ACTIVATE);
                lines.add("view=" + (part == null || part.getObject() == null ? "(none)" : part.getObject().getClass().getName())
                        + (part != null && part.getWidget() != null ? " shown" : " not-shown"));
                if (part != null) {
                    parts.hidePart(part, true);
                }
                uninstall();
            });
        });
    }

    private void uninstall() {
        List<String> listed = new ArrayList<>();
        for (TableItem item : dialog.installed.getItems()) {
            listed.add(item.getText(1));
            item.setChecked(features.contains(item.getText(1)));
        }
        lines.add("installed=" + String.join(",", listed));
        PluginChange before = dialog.lastChange();
        dialog.uninstall.notifyListeners(SWT.Selection, new Event());
        await("uninstall", () -> !dialog.busy() && (dialog.lastError() != null || dialog.lastChange() != before), () -> {
            if (dialog.lastError() != null) {
                finish("uninstall failed: " + dialog.lastError());
                return;
            }
            lines.add("uninstall=" + dialog.statusText());
            lines.add("uninstallRestart=" + dialog.lastChange().restartNeeded());
            // the model assembler drops the view's descriptor asynchronously; give it a moment
            long until = System.currentTimeMillis() + 10_000;
            await("the example engine to go", () -> engine() == null && (!hasDescriptor() || System.currentTimeMillis() > until), () -> {
                lines.add("enginesAfter=" + String.join(",", engineNames()));
                lines.add("descriptorAfter=" + (hasDescriptor() ? "present" : "absent"));
                finish(null);
            });
        });
    }

    private boolean hasAll(TableItem[] items) {
        return features.stream().allMatch(f -> Arrays.stream(items).anyMatch(i -> f.equals(i.getText(1))));
    }

    private boolean hasDescriptor() {
        return app.getDescriptors().stream().anyMatch(d -> EXAMPLE_PART.equals(d.getElementId()));
    }

    private static MMenuElement findMenuItem(MMenu menu) {
        if (menu == null) {
            return null;
        }
        for (MMenuElement e : menu.getChildren()) {
            if (MENU_ITEM.equals(e.getElementId())) {
                return e;
            }
            if (e instanceof MMenu sub) {
                MMenuElement found = findMenuItem(sub);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static BundleContext context() {
        return FrameworkUtil.getBundle(PluginsSelfTest.class).getBundleContext();
    }

    private static List<ServiceReference<RenderEngine>> engineRefs() {
        try {
            return new ArrayList<>(context().getServiceReferences(RenderEngine.class, null));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> engineNames() {
        List<String> names = new ArrayList<>();
        for (ServiceReference<RenderEngine> ref : engineRefs()) {
            RenderEngine e = context().getService(ref);
            if (e != null) {
                names.add(e.name());
                context().ungetService(ref);
            }
        }
        names.sort(null);
        return names;
    }

    private static RenderEngine engine() {
        for (ServiceReference<RenderEngine> ref : engineRefs()) {
            RenderEngine e = context().getService(ref);
            if (e != null && EXAMPLE_ENGINE.equals(e.name())) {
                return e;
            }
        }
        return null;
    }

    private static String renderRow(RenderEngine engine) {
        String scene = System.getProperty(SCENE);
        if (scene == null) {
            return "(no scene)";
        }
        try {
            TilePixels px = engine.renderTile(RenderScene.ofFile(Path.of(scene)), 1, new Tile(0, 0, 96, 1),
                    RenderSettings.of(96, 1));
            StringBuilder b = new StringBuilder();
            for (int x = 0; x < 96; x += 8) {
                int rgb = (px.sample(x, 0, 0) >> 8) << 16 | (px.sample(x, 0, 1) >> 8) << 8 | px.sample(x, 0, 2) >> 8;
                b.append(b.isEmpty() ? "" : ",").append(String.format("0x%06x", rgb));
            }
            return b.toString();
        } catch (Exception e) {
            return "(render failed: " + e + ")";
        }
    }

    /** Polls {@code done} on the UI thread every 100 ms; then runs {@code next}, or fails after a while. */
    private void await(String step, BooleanSupplier done, Runnable next) {
        long deadline = System.currentTimeMillis() + STEP_MILLIS;
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            try {
                if (done.getAsBoolean()) {
                    next.run();
                } else if (System.currentTimeMillis() > deadline) {
                    finish("timed out waiting to " + step + " (status: " + (dialog == null ? "-" : dialog.statusText()) + ")");
                } else {
                    display.timerExec(100, poll[0]);
                }
            } catch (RuntimeException e) {
                finish(step + " failed: " + e);
            }
        };
        display.timerExec(100, poll[0]);
    }

    private void finish(String error) {
        if (error != null) {
            lines.add("error=" + error);
        }
        try {
            Files.write(Path.of(System.getProperty(REPORT, "plugins-self-test.txt")), lines);
        } catch (IOException e) {
            System.err.println("plugins self-test: cannot write the report: " + e);
        }
        if (dialog != null && dialog.getShell() != null && !dialog.getShell().isDisposed()) {
            dialog.close();
        }
        // the workbench is in the context only once it runs, not yet when addons are made
        app.getContext().get(IWorkbench.class).close();
    }
}
