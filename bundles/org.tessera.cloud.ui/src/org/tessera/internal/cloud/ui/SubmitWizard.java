// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.ui;

import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.jface.wizard.Wizard;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.tessera.cloud.core.CreditsBudgetAction;
import org.tessera.cloud.core.EnvoyClient;
import org.tessera.cloud.core.EnvoyCredentialStore;
import org.tessera.cloud.core.Machine;
import org.tessera.cloud.core.MachineCategory;
import org.tessera.cloud.core.ProductResolver;
import org.tessera.core.FrameRange;
import org.tessera.workbench.NodeTokenStore;
import org.tessera.workbench.TesseraPreferences;

/**
 * Submit to the Cloud: account (kept in secure storage), product and machine from the service, then
 * the job. Service calls run in the wizard's progress area (forked), never on the UI thread alone.
 */
public class SubmitWizard extends Wizard {
    private final Consumer<Submission> submit;
    final AccountPage account = new AccountPage();
    final JobPage job = new JobPage();
    ProductResolver resolver;
    String creditsText = "";

    public SubmitWizard(Consumer<Submission> submit) {
        this.submit = submit;
        setWindowTitle("Submit to the Cloud");
        setNeedsProgressMonitor(true);
    }

    @Override
    public void addPages() {
        addPage(account);
        addPage(job);
    }

    static EnvoyCredentialStore credentials() throws java.io.IOException {
        Path folder = NodeTokenStore.folder();
        return EnvoyCredentialStore.open(folder.resolve("envoy"), NodeTokenStore.storageKey(folder));
    }

    /** Signs in and reads the products, in the wizard's progress area; false with a page error on failure. */
    boolean signIn() {
        URI url = URI.create(account.url.getText().trim());
        String email = account.email.getText().trim();
        String key = account.key.getText();
        boolean remember = account.remember.getSelection();
        try {
            getContainer().run(true, true, monitor -> {
                monitor.beginTask("Signing in to " + url, org.eclipse.core.runtime.IProgressMonitor.UNKNOWN);
                try (EnvoyClient c = new EnvoyClient(url)) {
                    c.authenticate(email, key);
                    resolver = c.getProductResolver();
                    creditsText = String.format("%.1f credits available", c.creditsAvailable());
                    if (remember) {
                        credentials().save(url, new EnvoyCredentialStore.Credentials(email, key));
                    }
                } catch (Exception e) {
                    throw new InvocationTargetException(e);
                }
            });
            return true;
        } catch (InvocationTargetException e) {
            account.setErrorMessage("Cannot sign in: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            account.setErrorMessage("Cancelled");
        }
        return false;
    }

    /** Machine types offered for a product, read in the wizard's progress area. */
    List<Machine> machines(String product) {
        List<Machine> out = new ArrayList<>();
        URI url = URI.create(account.url.getText().trim());
        String email = account.email.getText().trim();
        String key = account.key.getText();
        try {
            getContainer().run(true, false, monitor -> {
                try (EnvoyClient c = new EnvoyClient(url)) {
                    c.authenticate(email, key);
                    out.addAll(c.getMachines(product, "render", MachineCategory.ALL, List.of()));
                } catch (Exception e) {
                    throw new InvocationTargetException(e);
                }
            });
        } catch (InvocationTargetException | InterruptedException e) {
            job.setMessage("No machine list: " + e.getMessage(), WizardPage.WARNING);
        }
        return out;
    }

    @Override
    public boolean performFinish() {
        submit.accept(job.submission());
        return true;
    }

    static Label label(Composite c, String text) {
        Label l = new Label(c, SWT.NONE);
        l.setText(text);
        return l;
    }

    static Text text(Composite c, int style) {
        Text t = new Text(c, SWT.BORDER | style);
        t.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        return t;
    }

    /** Page 1: the service and the account. */
    final class AccountPage extends WizardPage {
        Text url;
        Text email;
        Text key;
        Button remember;

        AccountPage() {
            super("account", "Account", null);
            setDescription("The Envoy service (or Tessera farm gateway) and your account there.");
        }

        @Override
        public void createControl(Composite parent) {
            Composite c = new Composite(parent, SWT.NONE);
            c.setLayout(new GridLayout(2, false));
            label(c, "Service URL:");
            url = text(c, SWT.SINGLE);
            url.setText(TesseraPreferences.get(TesseraPreferences.GATEWAY_URL));
            label(c, "E-mail:");
            email = text(c, SWT.SINGLE);
            label(c, "Access key:");
            key = text(c, SWT.SINGLE | SWT.PASSWORD);
            new Label(c, SWT.NONE);
            remember = new Button(c, SWT.CHECK);
            remember.setText("Remember in secure storage");
            remember.setSelection(true);
            try {
                Optional<EnvoyCredentialStore.Credentials> saved = credentials().load(URI.create(url.getText().trim()));
                saved.ifPresent(s -> {
                    email.setText(s.email());
                    key.setText(s.accessKey());
                });
            } catch (Exception e) {
                setMessage("Saved credentials not available: " + e.getMessage(), WARNING);
            }
            for (Text t : List.of(url, email, key)) {
                t.addListener(SWT.Modify, e -> validate());
            }
            setControl(c);
            validate();
        }

        private void validate() {
            String u = url.getText().trim();
            String problem = !(u.startsWith("http://") || u.startsWith("https://")) ? "The service URL starts with http:// or https://"
                    : email.getText().isBlank() ? "Enter your e-mail address" : key.getText().isEmpty() ? "Enter your access key" : null;
            setErrorMessage(problem);
            setPageComplete(problem == null);
        }

        @Override
        public boolean canFlipToNextPage() {
            return isPageComplete();
        }
    }

    /** Page 2: product, machine, frames, instances, budget, dependency, watch files. */
    final class JobPage extends WizardPage {
        Text folder;
        Text scene;
        Combo product;
        Combo version;
        Combo machine;
        Text frames;
        Spinner instances;
        Spinner budget;
        Combo budgetAction;
        Text dependent;
        Text watch;
        Text download;
        Label credits;
        private List<Machine> machineList = List.of();

        JobPage() {
            super("job", "Render Job", null);
            setDescription("What to render and on which machines.");
        }

        @Override
        public void createControl(Composite parent) {
            Composite c = new Composite(parent, SWT.NONE);
            c.setLayout(new GridLayout(2, false));
            label(c, "Project folder:");
            folder = text(c, SWT.SINGLE);
            label(c, "Scene (in the folder):");
            scene = text(c, SWT.SINGLE);
            label(c, "Product:");
            product = new Combo(c, SWT.READ_ONLY);
            product.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
            label(c, "Version:");
            version = new Combo(c, SWT.READ_ONLY);
            version.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
            label(c, "Machine type:");
            machine = new Combo(c, SWT.READ_ONLY);
            machine.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
            label(c, "Frames:");
            frames = text(c, SWT.SINGLE);
            frames.setText("1 10");
            frames.setToolTipText(FrameRange.GRAMMAR);
            label(c, "Instances:");
            instances = new Spinner(c, SWT.BORDER);
            instances.setValues(2, 1, 1000, 0, 1, 10);
            label(c, "Budget (credits, 0 = none):");
            Composite b = new Composite(c, SWT.NONE);
            GridLayout bl = new GridLayout(2, false);
            bl.marginWidth = 0;
            b.setLayout(bl);
            budget = new Spinner(b, SWT.BORDER);
            budget.setValues(0, 0, 1_000_000, 0, 1, 10);
            budgetAction = new Combo(b, SWT.READ_ONLY);
            for (CreditsBudgetAction a : CreditsBudgetAction.values()) {
                budgetAction.add(a.name().toLowerCase());
            }
            budgetAction.select(0);
            label(c, "Then render frames:");
            dependent = text(c, SWT.SINGLE);
            dependent.setMessage("optional: a second job that starts when the first completed");
            label(c, "Download outputs matching:");
            watch = text(c, SWT.SINGLE);
            watch.setText(".*\\.png");
            label(c, "Into folder:");
            download = text(c, SWT.SINGLE);
            download.setText(Path.of(System.getProperty("user.home"), "tessera-downloads").toString());
            new Label(c, SWT.NONE);
            credits = new Label(c, SWT.NONE);
            credits.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
            product.addListener(SWT.Selection, e -> productChosen());
            for (Text t : List.of(folder, scene, frames, dependent)) {
                t.addListener(SWT.Modify, e -> validate());
            }
            setControl(c);
            setPageComplete(false);
        }

        @Override
        public void setVisible(boolean visible) {
            super.setVisible(visible);
            if (visible && resolver == null) {
                if (!signIn()) {
                    getContainer().showPage(account);
                    return;
                }
            }
            if (visible && product.getItemCount() == 0 && resolver != null) {
                List<String> codes = new ArrayList<>(resolver.getAllTypes(false).keySet());
                codes.sort(null);
                product.setItems(codes.toArray(String[]::new));
                product.select(Math.max(0, codes.indexOf(TesseraPreferences.get(TesseraPreferences.DEFAULT_ENGINE))));
                credits.setText(creditsText);
                productChosen();
            }
        }

        private void productChosen() {
            if (resolver == null || product.getSelectionIndex() < 0) {
                return;
            }
            List<String> versions = resolver.getVersionsByType(product.getText());
            version.setItems(versions.toArray(String[]::new));
            version.select(0);
            machineList = machines(product.getText());
            machine.setItems(machineList.stream().map(m -> m.name() + (m.gpu() ? " (GPU)" : "")).toArray(String[]::new));
            for (int i = 0; i < machineList.size(); i++) {
                if (machineList.get(i).isDefault()) {
                    machine.select(i);
                }
            }
            validate();
        }

        void validate() {
            String problem = null;
            Path f = folder.getText().isBlank() ? null : Path.of(folder.getText().trim());
            if (f == null || !Files.isDirectory(f)) {
                problem = "Choose the project folder";
            } else if (scene.getText().isBlank() || !Files.isRegularFile(f.resolve(scene.getText().trim()))) {
                problem = "Name the scene file inside the project folder";
            } else if (version.getSelectionIndex() < 0) {
                problem = "Pick a product and version the service offers";
            } else {
                for (Text t : List.of(frames, dependent)) {
                    if (t == dependent && t.getText().isBlank()) {
                        continue;
                    }
                    try {
                        FrameRange.parse(t.getText().trim());
                    } catch (IllegalArgumentException e) {
                        problem = "Frames: " + e.getMessage();
                    }
                }
            }
            setErrorMessage(problem);
            setPageComplete(problem == null);
        }

        Submission submission() {
            int m = machine.getSelectionIndex();
            return new Submission(URI.create(account.url.getText().trim()), account.email.getText().trim(), account.key.getText(),
                    Path.of(folder.getText().trim()), scene.getText().trim(), product.getText(), version.getText(),
                    m < 0 ? null : machineList.get(m).id(), frames.getText().trim(), instances.getSelection(),
                    budget.getSelection(), CreditsBudgetAction.values()[Math.max(0, budgetAction.getSelectionIndex())],
                    dependent.getText().trim(), watch.getText().trim(), Path.of(download.getText().trim()));
        }
    }
}
