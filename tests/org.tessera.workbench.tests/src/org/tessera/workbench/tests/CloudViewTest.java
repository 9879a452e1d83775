// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.cloud.core.ProjectStatus;
import org.tessera.internal.cloud.ui.CloudPart;
import org.tessera.internal.cloud.ui.SubmitWizard;
import org.tessera.testing.TesseraProcess;

/** The submission wizard and the Cloud Submissions view against a Tessera Envoy gateway process. */
class CloudViewTest {
    private static final String EMAIL = "wrangler@example.org";
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** Deleted by JUnit after {@code @AfterAll} has stopped the processes writing into it. */
    @TempDir
    static Path work;
    private static TesseraProcess gateway;
    private static URI url;
    private static String key;

    @BeforeAll
    static void startGateway() throws IOException {
        Path data = work.resolve("gateway-data");
        TesseraProcess.Result added = TesseraProcess.run(work, Duration.ofSeconds(90), "gateway", "user", "add", EMAIL,
                "--credits", "1000", "--data", data.toString());
        assertEquals(0, added.exitCode(), added.output());
        Matcher m = Pattern.compile("Access key for " + Pattern.quote(EMAIL) + ": (\\S+)").matcher(added.output());
        assertTrue(m.find(), added.output());
        key = m.group(1);
        gateway = TesseraProcess.start(work, "gw", "gateway", "serve", "--port", "0", "--data", data.toString());
        String line = gateway.awaitLine(l -> l.startsWith("Envoy gateway listening on http://127.0.0.1:"), Duration.ofSeconds(90));
        url = URI.create(line.substring(line.indexOf("http://")).trim());
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static List<Text> visibleTexts(Shell shell) {
        return Widgets.find(shell, Text.class, t -> t.isVisible());
    }

    @Test
    void wizardSubmitsTwoDependentJobsAndTheViewFollowsThem() throws IOException {
        // the secure storage goes with the test's folder; restored after, so no later code recreates it once deleted
        String secure = System.setProperty("tessera.secure.folder", work.resolve("secure").toString());
        Path project = Files.createDirectories(work.resolve("projects/wizard-project"));
        Files.copy(Path.of(System.getProperty("tessera.repo.root"), "bundles/org.tessera.render.raytracer/scenes/spheres.json"),
                project.resolve("spheres.json"));
        Path downloads = work.resolve("downloads");
        Shell shell = UiTestSupport.shell("Cloud Submissions", 900, 420);
        try {
            CloudPart part = UiTestSupport.makePart(CloudPart.class, shell);
            shell.open();
            WizardDialog dialog = new WizardDialog(shell, new SubmitWizard(part::submit));
            dialog.setBlockOnOpen(false);
            dialog.open();
            Shell d = dialog.getShell();
            d.setSize(760, 760);
            UiTestSupport.flush();
            List<Text> account = visibleTexts(d);
            Widgets.type(account.get(0), url.toString());
            Widgets.type(account.get(1), EMAIL);
            Text password = account.get(2);
            assertTrue((password.getStyle() & SWT.PASSWORD) != 0, "the access key is typed into a password field");
            Widgets.type(password, key);
            Widgets.press(Widgets.button(d, "Next >"));
            UiTestSupport.waitUntil("the job page", WAIT, () -> visibleTexts(d).size() >= 6);
            List<Text> job = visibleTexts(d);
            Widgets.type(job.get(0), project.toString());
            Widgets.type(job.get(1), "spheres.json");
            Widgets.type(job.get(2), "1");
            Widgets.type(job.get(3), "2");
            Widgets.type(job.get(4), ".*\\.png");
            Widgets.type(job.get(5), downloads.toString());
            UiTestSupport.screenshot(d, "cloud-wizard");
            Widgets.press(Widgets.button(d, "Finish"));
            UiTestSupport.waitUntil("the submission", WAIT, () -> !part.projects().isEmpty());
            String name = part.projects().getFirst();
            UiTestSupport.waitUntil("the project to finish", WAIT,
                    () -> part.status(name) != null && part.status(name).isFinished());
            ProjectStatus s = part.status(name);
            assertEquals("Completed", s.state(), s.toString());
            assertEquals(2, s.jobs().size());
            assertTrue(s.jobs().stream().allMatch(j -> j.framesDone() == 1), s.toString());
            UiTestSupport.waitUntil("the watched outputs", WAIT, () -> {
                // each job's results arrive in a folder of their own (docs/envoy-gateway.md)
                try (var files = Files.walk(downloads)) {
                    return files.filter(f -> f.toString().endsWith(".png")).count() == 2;
                } catch (IOException e) {
                    return false;
                }
            });
            UiTestSupport.flush();
            UiTestSupport.screenshot(shell, "cloud-view");
        } finally {
            shell.dispose();
            UiTestSupport.restoreProperty("tessera.secure.folder", secure);
        }
    }
}
