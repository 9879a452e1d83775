// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tessera.cluster.core.ClusterConfig;
import org.tessera.cluster.core.ClusterService;
import org.tessera.cluster.core.NodeStatus;
import org.tessera.cluster.core.SpeedTestResult;

/**
 * The {@link ClusterService} as a DS component: it only wires {@link ClusterServiceImpl} to EventAdmin and
 * to its configuration (PID {@value #PID}, applied live in {@link #modified}), and delegates every call.
 */
@Component(service = ClusterService.class, configurationPid = ClusterComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ClusterComponent.Config.class)
public final class ClusterComponent implements ClusterService {
    /** Configuration PID: {@value}. */
    public static final String PID = "org.tessera.cluster";

    /** The master's settings (docs/configuration.md, "Cluster"). The node token is not here: it comes from Credentials. */
    @ObjectClassDefinition(id = PID, name = "Tessera render cluster", description = "The master's side of the render cluster")
    public @interface Config {
        @AttributeDefinition(name = "Default configuration", description = "Host list or cluster XML that "
                + "setDefaultConfig() (and a fresh start) uses, e.g. \"pc1 pc2\" or \"node01 - node08\"")
        String defaultConfig() default "localhost";

        @AttributeDefinition(name = "Licence seats", description = "Seats in this master's licence pool", min = "0")
        int licenseSeats() default 32;

        @AttributeDefinition(name = "Speed-test payload", description = "Bytes sent each way per node by the speed "
                + "test (1024 .. 67108864)", min = "1024", max = "67108864")
        int speedTestBytes() default 8 * 1024 * 1024;
    }

    private final ClusterServiceImpl impl;

    @Activate
    public ClusterComponent(@Reference EventAdmin eventAdmin, Config config) {
        impl = new ClusterServiceImpl((topic, props) -> eventAdmin.postEvent(new Event(topic, props)), settings(config));
    }

    static ClusterServiceImpl.Settings settings(Config c) {
        return new ClusterServiceImpl.Settings(c.defaultConfig(), null, Math.max(0, c.licenseSeats()), c.speedTestBytes());
    }

    @Modified
    void modified(Config config) {
        impl.applySettings(settings(config));
    }

    @Deactivate
    void deactivate() {
        impl.close();
    }

    // ---- delegation

    @Override
    public void abortProgress() {
        impl.abortProgress();
    }

    @Override
    public boolean getAllowMultipleServers() {
        return impl.getAllowMultipleServers();
    }

    @Override
    public void setAllowMultipleServers(boolean value) {
        impl.setAllowMultipleServers(value);
    }

    @Override
    public String getConfig() {
        return impl.getConfig();
    }

    @Override
    public ClusterConfig getConfigModel() {
        return impl.getConfigModel();
    }

    @Override
    public void setConfig(String configuration) {
        impl.setConfig(configuration);
    }

    @Override
    public void setDefaultConfig() {
        impl.setDefaultConfig();
    }

    @Override
    public boolean loadConfig(String fileName) {
        return impl.loadConfig(fileName);
    }

    @Override
    public String hostListToConfig(String hostList) {
        return impl.hostListToConfig(hostList);
    }

    @Override
    public boolean getConsumptionBasedLicensing() {
        return impl.getConsumptionBasedLicensing();
    }

    @Override
    public void setConsumptionBasedLicensing(boolean value) {
        impl.setConsumptionBasedLicensing(value);
    }

    @Override
    public boolean getIgnoreNotEnoughMemory() {
        return impl.getIgnoreNotEnoughMemory();
    }

    @Override
    public void setIgnoreNotEnoughMemory(boolean value) {
        impl.setIgnoreNotEnoughMemory(value);
    }

    @Override
    public boolean getLocalLicenseCheckout() {
        return impl.getLocalLicenseCheckout();
    }

    @Override
    public void setLocalLicenseCheckout(boolean value) {
        impl.setLocalLicenseCheckout(value);
    }

    @Override
    public List<String> getRunningNodes() {
        return impl.getRunningNodes();
    }

    @Override
    public List<NodeStatus> getNodeStatus() {
        return impl.getNodeStatus();
    }

    @Override
    public boolean getShowTestImage() {
        return impl.getShowTestImage();
    }

    @Override
    public void setShowTestImage(boolean value) {
        impl.setShowTestImage(value);
    }

    @Override
    public boolean getShowTiles() {
        return impl.getShowTiles();
    }

    @Override
    public void setShowTiles(boolean value) {
        impl.setShowTiles(value);
    }

    @Override
    public void setEyeSeparation(double value) {
        impl.setEyeSeparation(value);
    }

    @Override
    public void setZeroParallax(double value) {
        impl.setZeroParallax(value);
    }

    @Override
    public boolean hasLicense() {
        return impl.hasLicense();
    }

    @Override
    public boolean isRestarting() {
        return impl.isRestarting();
    }

    @Override
    public boolean isRunning() {
        return impl.isRunning();
    }

    @Override
    public List<String> runSpeedTest() {
        return impl.runSpeedTest();
    }

    @Override
    public List<SpeedTestResult> runSpeedTests() {
        return impl.runSpeedTests();
    }

    @Override
    public boolean start() {
        return impl.start();
    }

    @Override
    public void stop() {
        impl.stop();
    }

    @Override
    public List<String> getProblems() {
        return impl.getProblems();
    }

    @Override
    public long getRequiredMemoryMB() {
        return impl.getRequiredMemoryMB();
    }

    @Override
    public void setRequiredMemoryMB(long megabytes) {
        impl.setRequiredMemoryMB(megabytes);
    }

    @Override
    public int getLicenseSeats() {
        return impl.getLicenseSeats();
    }

    @Override
    public void setLicenseSeats(int seats) {
        impl.setLicenseSeats(seats);
    }

    @Override
    public double getConsumedNodeSeconds() {
        return impl.getConsumedNodeSeconds();
    }

    @Override
    public String getMasterId() {
        return impl.getMasterId();
    }
}
