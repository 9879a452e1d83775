// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tessera.tracker.core.FrameChanges;
import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.RenderTracker;

/**
 * The {@link RenderTracker} DS service: a {@link TrackerService} on the database of the configuration
 * {@value #PID} ({@link Config#database()}; by default an H2 file {@code tracker/tracker.mv.db} under the
 * instance area, the workspace). A changed configuration re-opens the store (the component is activated
 * anew). The configuration's properties are also the service's, so a consumer can ask for the tracker on a
 * given database with the target {@code (database=...)}. Events go to EventAdmin when one is present.
 */
@Component(service = RenderTracker.class, configurationPid = RenderTrackerComponent.PID)
@Designate(ocd = RenderTrackerComponent.Config.class)
public class RenderTrackerComponent implements RenderTracker {
    /** The tracker store's configuration (a singleton). */
    public static final String PID = "org.tessera.tracker";
    /** The configuration property naming the database. */
    public static final String DATABASE = "database";

    /** Where and how the tracker stores projects (docs/configuration.md, "Tracker"). */
    @ObjectClassDefinition(id = PID, name = "Tessera render tracker",
            description = "The render tracker's store: its database and how changes are made durable (docs/tracker.md).")
    public @interface Config {
        @AttributeDefinition(required = false, description = "The database: an H2 file path without .mv.db (absolute, "
                + "~/..., or relative to the workspace) or a JDBC URL; empty: tracker/tracker in the workspace.")
        String database() default "";

        @AttributeDefinition(description = "Journal acknowledged changes next to an H2 file (kill -9 safe with one "
                + "write per group); false: commit every group to the database.")
        boolean journal() default true;

        @AttributeDefinition(description = "Force the journal to disk on every group commit (power-loss durability, "
                + "one fsync per group).")
        boolean fsync() default false;

        @AttributeDefinition(description = "Checkpoint the journal into the database every so many seconds.", min = "1")
        int checkpointSeconds() default 60;

        @AttributeDefinition(description = "... or every so many MiB of journal, whichever comes first.", min = "1")
        int checkpointMiB() default 128;
    }

    private volatile EventAdmin eventAdmin;
    private TrackerService service;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (this.eventAdmin == admin) {
            this.eventAdmin = null;
        }
    }

    @Activate
    void activate(BundleContext context, Config config) throws SQLException {
        String url = jdbcUrl(config.database(), context.getProperty("osgi.instance.area"));
        service = TrackerService.open(url, new TrackerStore.Options(config.journal(), config.fsync(),
                config.checkpointSeconds(), config.checkpointMiB()), (topic, props) -> {
                    EventAdmin admin = eventAdmin;
                    if (admin != null) {
                        admin.postEvent(new Event(topic, props));
                    }
                });
    }

    /**
     * The JDBC URL for a configured {@code database}: a JDBC URL as it is, a path (absolute, {@code ~/...},
     * or relative to the workspace) as an H2 file, empty as {@link #defaultJdbcUrl}.
     */
    public static String jdbcUrl(String database, String instanceArea) {
        String db = database == null ? "" : database.strip();
        if (db.isEmpty()) {
            return defaultJdbcUrl(instanceArea);
        }
        if (db.startsWith("jdbc:")) {
            return db;
        }
        Path path = db.equals("~") || db.startsWith("~/") ? Path.of(System.getProperty("user.home") + db.substring(1))
                : Path.of(db);
        return jdbcUrlFor(path.isAbsolute() ? path : workspace(instanceArea).resolve(path));
    }

    /** The service behind this component (the XML-RPC endpoint answers small calls on it directly). */
    TrackerService service() {
        return service;
    }

    /** {@code jdbc:h2:file:<workspace>/tracker/tracker}, or under {@code ~/.tessera} without a workspace. */
    public static String defaultJdbcUrl(String instanceArea) {
        return jdbcUrlFor(workspace(instanceArea).resolve("tracker").resolve("tracker"));
    }

    private static Path workspace(String instanceArea) {
        if (instanceArea != null && instanceArea.startsWith("file:")) {
            return Path.of(URI.create(instanceArea.replace(" ", "%20")));
        }
        return Path.of(System.getProperty("user.home"), ".tessera", "workspace");
    }

    /** An H2 file URL for a database path without extension. */
    public static String jdbcUrlFor(Path database) {
        return "jdbc:h2:file:" + database.toAbsolutePath().normalize();
    }

    @Deactivate
    void deactivate() {
        if (service != null) {
            service.close();
        }
    }

    /** The JDBC URL in use. */
    public String jdbcUrl() {
        return service.store().url();
    }

    @Override
    public void startedRenderProject(String projectName, List<Integer> frameNumbers, boolean generateIfds, org.tessera.tracker.core.JobId jobId) {
        service.startedRenderProject(projectName, frameNumbers, generateIfds, jobId);
    }

    @Override
    public void startedGeneratingFrameIFD(String projectName, int frameNumber) {
        service.startedGeneratingFrameIFD(projectName, frameNumber);
    }

    @Override
    public void endedGeneratingFrameIFD(String projectName, int frameNumber) {
        service.endedGeneratingFrameIFD(projectName, frameNumber);
    }

    @Override
    public void startedFrameRender(String projectName, int frameNumber, org.tessera.tracker.core.JobId jobId, String imagePath) {
        service.startedFrameRender(projectName, frameNumber, jobId, imagePath);
    }

    @Override
    public void setFrameRenderFraction(String projectName, int frameNumber, double fraction) {
        service.setFrameRenderFraction(projectName, frameNumber, fraction);
    }

    @Override
    public void setFrameDownloadFraction(String projectName, int frameNumber, double fraction) {
        service.setFrameDownloadFraction(projectName, frameNumber, fraction);
    }

    @Override
    public void setFrameError(String projectName, int frameNumber, String errorMessage) {
        service.setFrameError(projectName, frameNumber, errorMessage);
    }

    @Override
    public void setProjectError(String projectName, String errorMessage) {
        service.setProjectError(projectName, errorMessage);
    }

    @Override
    public List<String> getAllProjects() {
        return service.getAllProjects();
    }

    @Override
    public List<FrameInfo> getAllFramesInfo(String projectName) {
        return service.getAllFramesInfo(projectName);
    }

    @Override
    public FrameChanges getChangedFrames(String projectName, long sinceEventId) {
        return service.getChangedFrames(projectName, sinceEventId);
    }

    @Override
    public double getEstimatedRenderSecondsLeft(String projectName) {
        return service.getEstimatedRenderSecondsLeft(projectName);
    }

    @Override
    public org.tessera.tracker.core.JobId getFrameJobID(String projectName, int frameNumber) {
        return service.getFrameJobID(projectName, frameNumber);
    }

    @Override
    public String getFrameLog(String projectName, int frameNumber) {
        return service.getFrameLog(projectName, frameNumber);
    }

    @Override
    public String getImagePath(String projectName, int frameNumber) {
        return service.getImagePath(projectName, frameNumber);
    }

    @Override
    public boolean isProjectDone(String projectName) {
        return service.isProjectDone(projectName);
    }

    @Override
    public boolean isProjectRunning(String projectName) {
        return service.isProjectRunning(projectName);
    }

    @Override
    public boolean isRunning() {
        return service.isRunning();
    }

    @Override
    public boolean removeProject(String projectName) {
        return service.removeProject(projectName);
    }

    @Override
    public String suggestInactiveProjectName(String requestedProjectName) {
        return service.suggestInactiveProjectName(requestedProjectName);
    }

    @Override
    public boolean doesProjectGenerateIFDs(String projectName) {
        return service.doesProjectGenerateIFDs(projectName);
    }

    @Override
    public long incrementAndGetLastEventId() {
        return service.incrementAndGetLastEventId();
    }
}
