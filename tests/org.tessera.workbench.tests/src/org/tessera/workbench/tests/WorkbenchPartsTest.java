// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.internal.workbench.PreferencesHandler;
import org.tessera.internal.workbench.ProgressPart;
import org.tessera.internal.workbench.RunningJobs;
import org.tessera.internal.workbench.TesseraPreferencePages;
import org.tessera.workbench.NodeTokenStore;
import org.tessera.workbench.TesseraPreferences;

/** The workbench's own parts: Progress view and Preferences dialog (with the node token). */
class WorkbenchPartsTest {
    @TempDir
    Path tmp;
    private Shell shell;
    /** What {@code tessera.secure.folder} was before a test pointed it into {@link #tmp}. */
    private String secureFolder;
    private boolean secureFolderSet;

    @AfterEach
    void close() {
        if (shell != null) {
            shell.dispose();
        }
        if (secureFolderSet) {
            // tmp is deleted after this test: no later code may recreate the storage there
            UiTestSupport.restoreProperty("tessera.secure.folder", secureFolder);
        }
    }

    @Test
    void progressViewShowsAJobAndCancelsIt() throws IOException {
        RunningJobs.instance().install(Job.getJobManager());
        shell = UiTestSupport.shell("Progress", 640, 260);
        ProgressPart part = UiTestSupport.makePart(ProgressPart.class, shell);
        shell.open();
        Job job = new Job("Rendering lighthouse frames 1-48") {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                monitor.beginTask("frame 12 of 48", 48);
                monitor.worked(12);
                while (!monitor.isCanceled()) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return Status.CANCEL_STATUS;
                    }
                }
                return Status.CANCEL_STATUS;
            }
        };
        job.setUser(true);
        job.schedule();
        UiTestSupport.waitUntil("the job's row", Duration.ofSeconds(10),
                () -> !Widgets.find(shell, Label.class, l -> l.getText().contains("frame 12 of 48 (25%)")).isEmpty());
        assertTrue(part.rowCount() >= 1);
        UiTestSupport.screenshot(shell, "progress-view");
        Button cancel = Widgets.find(shell, Button.class, b -> b.getText().equals("Cancel") && b.isEnabled()).getFirst();
        Widgets.press(cancel);
        UiTestSupport.join(job);
        assertEquals(IStatus.CANCEL, job.getResult().getSeverity());
        UiTestSupport.waitUntil("the cancelled row", Duration.ofSeconds(10),
                () -> !Widgets.find(shell, Label.class, l -> l.getText().contains("(cancelled)")).isEmpty());
    }

    @Test
    void preferencesDialogStoresInInstanceScopeAndTokenInSecureStorage() throws Exception {
        secureFolder = System.setProperty("tessera.secure.folder", tmp.resolve("secure").toString());
        secureFolderSet = true;
        shell = UiTestSupport.shell("Tessera", 200, 100);
        shell.open();
        PreferenceDialog dialog = TesseraPreferencePages.create(shell, TesseraPreferencePages.store(), PreferencesHandler.KNOWN_ENGINES);
        dialog.setBlockOnOpen(false);
        dialog.setSelectedNode("tracker");
        dialog.open();
        try {
            Shell d = dialog.getShell();
            d.setSize(760, 480);
            UiTestSupport.flush();
            Text port = Widgets.find(d, Text.class, t -> t.getText().equals("5050") && t.isVisible()).getFirst();
            Widgets.type(port, "6060");
            UiTestSupport.screenshot(d, "preferences-tracker");

            selectPage(dialog, "cloud");
            Text url = Widgets.find(d, Text.class, t -> t.getText().startsWith("http://127.0.0.1:8090") && t.isVisible()).getFirst();
            Widgets.type(url, "ftp:/nohost");
            Button ok = Widgets.button(d, "Apply and Close");
            assertFalse(ok.isEnabled(), "an invalid gateway URL blocks OK while typing");
            Widgets.type(url, "https://farm.example.org:8443");
            assertTrue(ok.isEnabled());

            selectPage(dialog, "node");
            Text token = Widgets.find(d, Text.class, t -> (t.getStyle() & SWT.PASSWORD) != 0 && t.isVisible()).getFirst();
            assertEquals("", token.getText(), "no token is ever shown");
            token.setText("s3cret-node-token");
            UiTestSupport.screenshot(d, "preferences-node");
            Widgets.press(ok);
            UiTestSupport.flush();
        } finally {
            dialog.close();
        }
        assertEquals(6060, TesseraPreferences.getInt(TesseraPreferences.TRACKER_PORT));
        assertEquals("https://farm.example.org:8443", TesseraPreferences.get(TesseraPreferences.GATEWAY_URL));
        NodeTokenStore store = NodeTokenStore.open(tmp.resolve("secure"));
        assertEquals("s3cret-node-token", store.token().orElseThrow());
        assertTrue(store.isEncrypted());
        String onDisk = Files.readString(tmp.resolve("secure/storage"), StandardCharsets.ISO_8859_1);
        assertFalse(onDisk.contains("s3cret"), "the token is encrypted on disk");
        // the services get the token through the workbench's Credentials service, never a system property
        org.tessera.internal.workbench.WorkbenchAddon.registerSecureStorageCredentials();
        assertEquals("s3cret-node-token", org.tessera.core.Credentials.lookup(getClass(),
                org.tessera.core.Credentials.CLUSTER_TOKEN).orElseThrow());
        assertTrue(System.getProperties().values().stream().noneMatch(v -> String.valueOf(v).contains("s3cret")),
                "no system property holds the token");
        // back to defaults, so the instance scope is clean for other tests
        TesseraPreferences.node().clear();
        TesseraPreferences.node().flush();
        assertEquals(5050, TesseraPreferences.getInt(TesseraPreferences.TRACKER_PORT));
    }

    private static void selectPage(PreferenceDialog dialog, String id) {
        var node = dialog.getPreferenceManager().find(id);
        dialog.getTreeViewer().setSelection(new org.eclipse.jface.viewers.StructuredSelection(node), true);
        UiTestSupport.flush();
    }

    @Test
    void preferencePagesAreTheFiveAreas() {
        shell = UiTestSupport.shell("Tessera", 200, 100);
        PreferenceDialog dialog = TesseraPreferencePages.create(shell, TesseraPreferencePages.store(), List.of("raytracer"));
        assertEquals(5, dialog.getPreferenceManager().getRootSubNodes().length);
        for (String id : TesseraPreferencePages.PAGE_IDS) {
            assertTrue(dialog.getPreferenceManager().find(id) != null, id);
        }
    }

    /**
     * Preferences that set services are written into their configurations and apply to the running services:
     * the stats folder moves the running recorder's files, the tracker database lands in org.tessera.tracker;
     * clearing them gives the services their defaults back. No system property is written.
     */
    @Test
    void preferencesAreWrittenIntoTheServicesConfigurations() throws Exception {
        org.osgi.service.cm.ConfigurationAdmin cm = org.tessera.testing.OsgiServices.get(
                org.osgi.service.cm.ConfigurationAdmin.class);
        org.tessera.stats.core.StatsRecorder recorder = org.tessera.testing.OsgiServices.get(
                org.tessera.stats.core.StatsRecorder.class);
        Path before = recorder.folder();
        Path stats = tmp.resolve("stats");
        String jdbc = "jdbc:h2:file:" + tmp.resolve("tracker-db");
        java.util.Properties systemBefore = (java.util.Properties) System.getProperties().clone();
        org.tessera.internal.workbench.PreferenceConfigurations.install();
        try {
            TesseraPreferences.node().put(TesseraPreferences.STATS_FOLDER, stats.toString());
            TesseraPreferences.node().put(TesseraPreferences.TRACKER_DATABASE, jdbc);
            UiTestSupport.waitUntil("the recorder writing into " + stats, Duration.ofSeconds(10),
                    () -> stats.equals(recorder.folder()));
            assertEquals(jdbc, cm.getConfiguration("org.tessera.tracker", "?").getProperties().get("database"));
            assertEquals(systemBefore, System.getProperties(), "no system property was written");
        } finally {
            TesseraPreferences.node().remove(TesseraPreferences.STATS_FOLDER);
            TesseraPreferences.node().remove(TesseraPreferences.TRACKER_DATABASE);
        }
        UiTestSupport.waitUntil("the recorder back in " + before, Duration.ofSeconds(10),
                () -> before.equals(recorder.folder()));
        var tracker = cm.getConfiguration("org.tessera.tracker", "?").getProperties();
        assertTrue(tracker == null || tracker.get("database") == null, "the database preference is gone: " + tracker);
    }
}
