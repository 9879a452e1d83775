// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.tessera.tracker.core.FrameChanges;
import org.tessera.tracker.core.FrameInfo;
import org.tessera.tracker.core.RenderTracker;

/**
 * The {@link RenderTracker} DS service: a {@link TrackerService} on the database named by the
 * configuration ({@code jdbcUrl}, PID {@code org.tessera.tracker}), the system property
 * {@code tessera.tracker.jdbc}, or by default an H2 file {@code tracker/tracker.mv.db} under the
 * instance area (the workspace). Events go to EventAdmin when one is present.
 */
@Component(service = RenderTracker.class, configurationPid = "org.tessera.tracker")
public class RenderTrackerComponent implements RenderTracker {
    /** System property naming the tracker's JDBC URL. */
    public static final String JDBC_PROPERTY = "tessera.tracker.jdbc";

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
    void activate(BundleContext context, Map<String, Object> config) throws SQLException {
        Object configured = config.get("jdbcUrl");
        String url = configured != null ? configured.toString() : System.getProperty(JDBC_PROPERTY);
        if (url == null || url.isBlank()) {
            url = defaultJdbcUrl(context.getProperty("osgi.instance.area"));
        }
        service = TrackerService.open(url, (topic, props) -> {
            EventAdmin admin = eventAdmin;
            if (admin != null) {
                admin.postEvent(new Event(topic, props));
            }
        });
    }

    /** {@code jdbc:h2:file:<workspace>/tracker/tracker}, or under {@code ~/.tessera} without a workspace. */
    public static String defaultJdbcUrl(String instanceArea) {
        Path dir;
        if (instanceArea != null && instanceArea.startsWith("file:")) {
            dir = Path.of(URI.create(instanceArea.replace(" ", "%20")));
        } else {
            dir = Path.of(System.getProperty("user.home"), ".tessera", "workspace");
        }
        return jdbcUrlFor(dir.resolve("tracker").resolve("tracker"));
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
