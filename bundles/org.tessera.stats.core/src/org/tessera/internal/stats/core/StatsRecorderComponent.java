// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tessera.stats.core.StatsRecorder;
import org.tessera.stats.core.StatsTopics;

/**
 * DS facade of {@link StatsRecorderImpl}: subscribes to the render and cluster topics and flushes
 * every {@code flushSeconds} and on deactivation. Configuration Admin PID {@value #PID}: {@code folder}
 * (default {@code <instance area>/stats}, else {@code ~/.tessera/stats}) and {@code flushSeconds}
 * (default 60), both applied live: a new folder gets the next records, after what was recorded so far
 * is flushed into the old one.
 */
@Component(service = { StatsRecorder.class, EventHandler.class }, immediate = true,
        configurationPid = StatsRecorderComponent.PID,
        property = { EventConstants.EVENT_TOPIC + "=" + StatsTopics.TILE_FINISHED,
                EventConstants.EVENT_TOPIC + "=" + StatsTopics.FRAME_FINISHED,
                EventConstants.EVENT_TOPIC + "=" + StatsTopics.JOB_STARTED,
                EventConstants.EVENT_TOPIC + "=" + StatsTopics.JOB_FINISHED,
                EventConstants.EVENT_TOPIC + "=" + StatsTopics.NODE_HEARTBEAT })
@Designate(ocd = StatsRecorderComponent.Config.class)
public class StatsRecorderComponent implements StatsRecorder, EventHandler {
    /** Configuration PID of the recorder. */
    public static final String PID = "org.tessera.stats.recorder";

    /** Configuration of the recorder. */
    @ObjectClassDefinition(id = PID, name = "Tessera stats recorder",
            description = "Writes the farm's stats files (docs/stats-format.md).")
    public @interface Config {
        @AttributeDefinition(description = "Folder of the stats files; empty = <instance area>/stats, "
                + "else ~/.tessera/stats.", required = false)
        String folder() default "";

        @AttributeDefinition(description = "Seconds between writes of the stats files.", min = "1")
        int flushSeconds() default 60;
    }

    private volatile StatsRecorderImpl impl;
    private ScheduledExecutorService flusher;
    private BundleContext context;

    @Activate
    void activate(Config config, BundleContext context) {
        this.context = context;
        impl = new StatsRecorderImpl(folder(config.folder(), context), ZoneId.systemDefault());
        schedule(config);
    }

    private void schedule(Config config) {
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tessera-stats-flush");
            t.setDaemon(true);
            return t;
        });
        int every = Math.max(1, config.flushSeconds());
        flusher.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.SECONDS);
    }

    /** A new folder or flush period applies at once; what was recorded so far goes to the old folder. */
    @Modified
    synchronized void modified(Config config) {
        flusher.shutdownNow();
        Path folder = folder(config.folder(), context);
        if (!folder.equals(impl.folder())) {
            StatsRecorderImpl old = impl;
            impl = new StatsRecorderImpl(folder, ZoneId.systemDefault());
            flushQuietly(old); // after the switch: a record that came in meanwhile is in the old files too
        }
        schedule(config);
    }

    static Path folder(String configured, BundleContext context) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String instance = context == null ? null : context.getProperty("osgi.instance.area");
        if (instance != null && instance.startsWith("file:")) {
            try {
                return Path.of(URI.create(instance.replace(" ", "%20"))).resolve("stats");
            } catch (IllegalArgumentException e) {
                // fall through to the home folder
            }
        }
        return Path.of(System.getProperty("user.home"), ".tessera", "stats");
    }

    @Deactivate
    synchronized void deactivate() {
        flusher.shutdownNow();
        flushQuietly();
    }

    private void flushQuietly() {
        flushQuietly(impl);
    }

    private static void flushQuietly(StatsRecorderImpl recorder) {
        try {
            recorder.flush();
        } catch (IOException | RuntimeException e) {
            System.err.println("tessera stats: cannot write stats files under " + recorder.folder() + ": " + e);
        }
    }

    @Override
    public void handleEvent(Event event) {
        long time = number(event, "timestamp", System.currentTimeMillis());
        String job = text(event, StatsTopics.JOB);
        String project = text(event, StatsTopics.PROJECT);
        switch (event.getTopic()) {
            case StatsTopics.JOB_STARTED -> impl.jobStarted(job, project, text(event, StatsTopics.USER),
                    text(event, StatsTopics.APP), time);
            case StatsTopics.JOB_FINISHED -> impl.jobFinished(job, project, text(event, StatsTopics.USER),
                    text(event, StatsTopics.APP), text(event, StatsTopics.STATE), time);
            case StatsTopics.FRAME_FINISHED -> impl.frameFinished(job, project, text(event, StatsTopics.LAYER),
                    (int) number(event, StatsTopics.FRAME, 0), text(event, StatsTopics.NODE),
                    number(event, StatsTopics.RENDER_MILLIS, 0), number(event, StatsTopics.MEMORY_MB, 0),
                    decimal(event, StatsTopics.CPU_PERCENT), time);
            case StatsTopics.TILE_FINISHED -> impl.tileFinished(job, project, (int) number(event, StatsTopics.FRAME, 0),
                    text(event, StatsTopics.NODE), number(event, StatsTopics.MILLIS, 0), time);
            case StatsTopics.NODE_HEARTBEAT -> impl.heartbeat(text(event, StatsTopics.NODE),
                    decimal(event, StatsTopics.CPU_PERCENT), number(event, StatsTopics.MEMORY_USED_MB, 0),
                    number(event, StatsTopics.MEMORY_TOTAL_MB, 0), time);
            default -> {
                // not ours
            }
        }
    }

    private static String text(Event e, String key) {
        Object v = e.getProperty(key);
        return v == null ? null : v.toString();
    }

    private static long number(Event e, String key, long fallback) {
        Object v = e.getProperty(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v != null) {
            try {
                return Long.parseLong(v.toString().trim());
            } catch (NumberFormatException ex) {
                return fallback;
            }
        }
        return fallback;
    }

    private static double decimal(Event e, String key) {
        Object v = e.getProperty(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return v == null ? 0 : Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    @Override
    public Path folder() {
        return impl.folder();
    }

    @Override
    public void jobStarted(String job, String project, String user, String app, long timeMillis) {
        impl.jobStarted(job, project, user, app, timeMillis);
    }

    @Override
    public void jobFinished(String job, String project, String user, String app, String state, long timeMillis) {
        impl.jobFinished(job, project, user, app, state, timeMillis);
    }

    @Override
    public void frameFinished(String job, String project, String layer, int frame, String node, long renderMillis,
            long memoryMB, double cpuPercent, long timeMillis) {
        impl.frameFinished(job, project, layer, frame, node, renderMillis, memoryMB, cpuPercent, timeMillis);
    }

    @Override
    public void tileFinished(String job, String project, int frame, String node, long millis, long timeMillis) {
        impl.tileFinished(job, project, frame, node, millis, timeMillis);
    }

    @Override
    public void heartbeat(String node, double cpuPercent, long memoryUsedMB, long memoryTotalMB, long timeMillis) {
        impl.heartbeat(node, cpuPercent, memoryUsedMB, memoryTotalMB, timeMillis);
    }

    @Override
    public void flush() throws IOException {
        impl.flush();
    }
}
