// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.descriptor.basic.MPartDescriptor;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.swt.widgets.Display;
import org.osgi.service.event.Event;
import org.tessera.core.Credentials;
import org.tessera.workbench.NodeTokenStore;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/**
 * Application add-on: feeds the Progress view from the job manager, and when the first window is up
 * prints how long the cold start took ({@code tessera workbench: first window after N ms}, measured
 * from the process start). With the system property {@code tessera.workbench.report=<file>} it also
 * writes the parts and part descriptors of the merged model to that file (fragments included), and
 * with {@code tessera.workbench.exitAfterStart=true} it then closes the workbench: the product test
 * and the start-time measurement use both. {@code tessera.workbench.activate=<part id>,...} brings
 * parts to the front at start (demos, screenshots).
 */
public class WorkbenchAddon {
    @Inject
    MApplication application;
    @Inject
    EModelService models;

    /** Tag of part descriptors whose part opens at start in the stack their category names. */
    public static final String OPEN_AT_START = "org.tessera.workbench.openAtStart";

    @PostConstruct
    void start() {
        RunningJobs.instance().install(Job.getJobManager());
        handPreferencesToServices();
        openContributedParts();
    }

    /**
     * Views contribute one part descriptor each (so Window > Show View lists them, and a fragment never
     * holds two elements with one id); those tagged {@link #OPEN_AT_START} get their part here, before
     * the window is rendered, in the part stack tagged with the descriptor's category.
     */
    void openContributedParts() {
        for (MPartDescriptor d : application.getDescriptors()) {
            if (!d.getTags().contains(OPEN_AT_START) || !models.findElements(application, d.getElementId(), MPart.class).isEmpty()) {
                continue;
            }
            List<MPartStack> stacks = d.getCategory() == null ? List.of()
                    : models.findElements(application, null, MPartStack.class, List.of(d.getCategory()));
            if (!stacks.isEmpty()) {
                stacks.getFirst().getChildren().add(models.createPart(d));
            }
        }
    }

    /**
     * The Preferences that set services are written into their configurations (Configuration Admin), now and
     * whenever they change ({@link PreferenceConfigurations}). Secrets are never put there: the node token
     * reaches the services through a {@link Credentials} service backed by secure storage, read when a node is
     * called (so a token changed in the Preferences applies at once).
     */
    static void handPreferencesToServices() {
        PreferenceConfigurations.install();
        registerSecureStorageCredentials();
    }

    private static org.osgi.framework.ServiceRegistration<Credentials> credentials;

    /** Registers (once) the Credentials service of the workbench: the node token from secure storage. */
    public static synchronized void registerSecureStorageCredentials() {
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(WorkbenchAddon.class);
        if (credentials != null || bundle == null || bundle.getBundleContext() == null) {
            return;
        }
        Credentials secure = name -> {
            if (!Credentials.CLUSTER_TOKEN.equals(name)) {
                return java.util.Optional.empty();
            }
            try {
                return NodeTokenStore.open().token();
            } catch (IOException e) {
                System.err.println("tessera workbench: node token not available: " + e.getMessage());
                return java.util.Optional.empty();
            }
        };
        // above the headless sources (environment, 0600 file), which answer when secure storage has nothing
        credentials = bundle.getBundleContext().registerService(Credentials.class, secure,
                org.osgi.framework.FrameworkUtil.asDictionary(java.util.Map.of(org.osgi.framework.Constants.SERVICE_RANKING, 100,
                        "tessera.credentials", "secure-storage")));
    }

    /**
     * When the start began: the launcher's own time stamp ({@code -Dtessera.launch.millis}, taken by
     * {@code ./tessera} before anything else), else the JVM's start (milliseconds exact; the process
     * start time from {@code /proc} is only as exact as the boot time, which Linux gives in seconds).
     */
    static long startMillis(ProcessHandle.Info info) {
        String launched = System.getProperty("tessera.launch.millis");
        if (launched != null) {
            try {
                return Long.parseLong(launched.trim());
            } catch (NumberFormatException e) {
                // fall through to the JVM's start
            }
        }
        try {
            return java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        } catch (RuntimeException | LinkageError e) {
            return info.startInstant().map(Instant::toEpochMilli).orElse(System.currentTimeMillis());
        }
    }

    @Inject
    @Optional
    void startupComplete(@UIEventTopic(UIEvents.UILifeCycle.APP_STARTUP_COMPLETE) Event event) {
        Display display = Display.getCurrent();
        // one more turn of the event loop, so the window has painted
        display.asyncExec(() -> {
            ProcessHandle.Info info = ProcessHandle.current().info();
            long ms = System.currentTimeMillis() - startMillis(info);
            // CPU time tells what the start costs when other processes share the cores
            long cpu = info.totalCpuDuration().map(Duration::toMillis).orElse(-1L);
            System.out.println("tessera workbench: first window after " + ms + " ms (CPU " + cpu + " ms)");
            String report = System.getProperty("tessera.workbench.report");
            if (report != null && !report.isBlank()) {
                writeReport(Path.of(report), ms);
            }
            String activate = System.getProperty("tessera.workbench.activate");
            if (activate != null && !activate.isBlank()) {
                EPartService parts = application.getContext().get(EPartService.class);
                for (String id : activate.split(",")) {
                    parts.showPart(id.strip(), EPartService.PartState.ACTIVATE);
                }
            }
            if (Boolean.getBoolean("tessera.workbench.exitAfterStart")) {
                // the workbench service exists only once the application runs, not when add-ons are made
                display.timerExec(300, () -> application.getContext().get(IWorkbench.class).close());
            }
        });
    }

    private void writeReport(Path file, long ms) {
        List<String> lines = new ArrayList<>();
        lines.add("startMillis=" + ms);
        for (MPart p : models.findElements(application, null, MPart.class)) {
            lines.add("part=" + p.getElementId() + " rendered=" + (p.getWidget() != null) + " label=" + p.getLabel());
        }
        for (MPartDescriptor d : application.getDescriptors()) {
            lines.add("descriptor=" + d.getElementId() + " category=" + d.getCategory() + " label=" + d.getLabel());
        }
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            System.err.println("tessera workbench: cannot write " + file + ": " + e);
        }
    }
}
