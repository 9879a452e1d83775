// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.plugins.ui;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.osgi.framework.FrameworkUtil;
import org.tessera.plugins.core.PluginChange;
import org.tessera.plugins.core.PluginException;
import org.tessera.plugins.core.PluginFeature;
import org.tessera.plugins.core.PluginInstaller;
import org.tessera.workbench.BackgroundWork;

/**
 * The plugins dialog (modeless, so the views of a freshly installed plugin can be used while it is
 * open): a repository field (URL or folder) with Add, the features the repositories offer and those
 * installed, each with checkboxes and Install / Uninstall, a status line saying what the last operation
 * did, and Restart Now, enabled when a change needs a restart. All p2 work runs in jobs.
 */
public class PluginsDialog extends Dialog {
    static final int RESTART_ID = IDialogConstants.CLIENT_ID + 1;

    private final Runnable restart;
    private final java.util.function.Consumer<java.util.Set<String>> removeViews;
    private PluginInstaller installer;
    private int running;

    Text repository;
    Button add;
    Label repositories;
    Table available;
    Button install;
    Table installed;
    Button uninstall;
    Label status;
    private PluginChange lastChange;
    private String lastError;

    /**
     * @param parent  the workbench window's shell; may be null
     * @param restart restarts the application (Restart Now)
     * @param removeViews takes the views of removed bundles (symbolic names) out of the workbench
     */
    public PluginsDialog(Shell parent, Runnable restart, java.util.function.Consumer<java.util.Set<String>> removeViews) {
        super(parent);
        this.restart = restart;
        this.removeViews = removeViews;
        setShellStyle((getShellStyle() & ~SWT.APPLICATION_MODAL) | SWT.MODELESS | SWT.RESIZE);
        setBlockOnOpen(false);
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Install Plugins");
        shell.setData(PluginsDialog.class.getName(), this);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        area.setLayout(new GridLayout(4, false));

        new Label(area, SWT.NONE).setText("Repository:");
        repository = new Text(area, SWT.BORDER);
        repository.setMessage("https://... or file:/... or a folder with a p2 repository");
        repository.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        repository.addListener(SWT.DefaultSelection, e -> addRepository());
        Button browse = new Button(area, SWT.PUSH);
        browse.setText("Folder...");
        browse.addListener(SWT.Selection, e -> {
            DirectoryDialog chooser = new DirectoryDialog(getShell());
            chooser.setText("p2 repository folder");
            String folder = chooser.open();
            if (folder != null) {
                repository.setText(folder);
            }
        });
        add = new Button(area, SWT.PUSH);
        add.setText("Add");
        add.addListener(SWT.Selection, e -> addRepository());
        repositories = new Label(area, SWT.WRAP);
        repositories.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 4, 1));

        available = table(area, "Available features", "Installed");
        install = button(area, "Install Selected");
        install.addListener(SWT.Selection, e -> change(true));
        installed = table(area, "Installed features", null);
        uninstall = button(area, "Uninstall Selected");
        uninstall.addListener(SWT.Selection, e -> change(false));

        status = new Label(area, SWT.WRAP);
        GridData sd = new GridData(SWT.FILL, SWT.TOP, true, false, 4, 1);
        sd.widthHint = 640;
        sd.heightHint = 64;
        status.setLayoutData(sd);

        try {
            installer = PluginInstaller.running(FrameworkUtil.getBundle(PluginsDialog.class).getBundleContext());
            refresh();
        } catch (PluginException e) {
            fail(e.getMessage());
        }
        return area;
    }

    private static Table table(Composite area, String title, String extra) {
        Label l = new Label(area, SWT.NONE);
        l.setText(title + ":");
        l.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 4, 1));
        Table t = new Table(area, SWT.CHECK | SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL);
        t.setHeaderVisible(true);
        GridData gd = new GridData(SWT.FILL, SWT.FILL, true, true, 4, 1);
        gd.heightHint = 120;
        t.setLayoutData(gd);
        for (String column : extra == null ? List.of("Name", "Id", "Version") : List.of("Name", "Id", "Version", extra)) {
            TableColumn c = new TableColumn(t, SWT.LEFT);
            c.setText(column);
            c.setWidth(column.equals("Name") ? 240 : column.equals("Id") ? 260 : 150);
        }
        return t;
    }

    private static Button button(Composite area, String text) {
        Button b = new Button(area, SWT.PUSH);
        b.setText(text);
        b.setLayoutData(new GridData(SWT.END, SWT.CENTER, true, false, 4, 1));
        return b;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, RESTART_ID, "Restart Now", false).setEnabled(false);
        createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, true);
    }

    @Override
    protected void buttonPressed(int id) {
        if (id == RESTART_ID) {
            close();
            restart.run();
        } else if (id == IDialogConstants.CLOSE_ID) {
            close();
        } else {
            super.buttonPressed(id);
        }
    }

    /** Adds the repository typed into the field, then lists its features (the Add button). */
    void addRepository() {
        if (installer == null || running > 0) {
            return;
        }
        String location = repository.getText();
        work("Loading repository " + location, monitor -> {
            installer.addRepository(location, monitor);
            return null;
        }, ignored -> {
            repository.setText("");
            refresh();
        });
    }

    /** Installs the checked available features, or uninstalls the checked installed ones. */
    void change(boolean install) {
        if (installer == null || running > 0) {
            return;
        }
        List<String> ids = checked(install ? available : installed);
        if (ids.isEmpty()) {
            fail("Check the features to " + (install ? "install" : "uninstall") + " first.");
            return;
        }
        String action = (install ? "Installing " : "Uninstalling ") + String.join(", ", ids);
        work(action, monitor -> install ? installer.install(ids, monitor) : installer.uninstall(ids, monitor),
                change -> {
                    if (!install) {
                        removeViews.accept(symbolicNames(change.bundles()));
                    }
                    lastChange = change;
                    show(describe(change), false);
                    getButton(RESTART_ID).setEnabled(change.restartNeeded());
                    refresh();
                });
    }

    /** {@code a.b.c} of each {@code a.b.c_1.2.3.qualifier}. */
    static java.util.Set<String> symbolicNames(List<String> bundles) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (String b : bundles) {
            int cut = b.lastIndexOf('_');
            names.add(cut > 0 ? b.substring(0, cut) : b);
        }
        return names;
    }

    private static List<String> checked(Table table) {
        List<String> ids = new ArrayList<>();
        for (TableItem item : table.getItems()) {
            if (item.getChecked()) {
                ids.add(item.getText(1));
            }
        }
        return ids;
    }

    static String describe(PluginChange change) {
        String what = (change.action().equals("install") ? "Installed " : "Uninstalled ") + String.join(", ", change.features());
        if (!change.restartNeeded()) {
            return what + ": applied without a restart (" + change.bundles().size() + " bundle(s) "
                    + (change.action().equals("install") ? "started" : "removed") + ").";
        }
        return what + ". It takes full effect after a restart: "
                + (change.problems().isEmpty() ? "the change could not be applied to the running application."
                        : String.join(" ", change.problems()))
                + " Press Restart Now, or restart later.";
    }

    /** Lists the repositories and the available and installed features again. */
    private void refresh() {
        work("Listing plugins", false, monitor -> new Listing(installer.repositories(), installer.available(monitor),
                installer.installed()), this::fill);
    }

    private record Listing(List<URI> repositories, List<PluginFeature> available, List<PluginFeature> installed) {
    }

    private void fill(Listing listing) {
        repositories.setText(listing.repositories().isEmpty() ? "No repository added yet."
                : "Repositories: " + listing.repositories().stream().map(URI::toString).collect(Collectors.joining(", ")));
        available.removeAll();
        for (PluginFeature f : listing.available()) {
            new TableItem(available, SWT.NONE).setText(new String[] { f.name(), f.id(), f.version(), f.installed() ? "yes" : "" });
        }
        installed.removeAll();
        for (PluginFeature f : listing.installed()) {
            new TableItem(installed, SWT.NONE).setText(new String[] { f.name(), f.id(), f.version() });
        }
        getShell().layout(true, true);
    }

    private <T> void work(String name, BackgroundWork.Task<T> task, java.util.function.Consumer<T> done) {
        work(name, true, task, done);
    }

    /** Runs {@code task} in a job with the buttons disabled; {@code say} shows its name in the status line. */
    private <T> void work(String name, boolean say, BackgroundWork.Task<T> task, java.util.function.Consumer<T> done) {
        running++;
        lastError = null; // a new operation: the last one's error no longer holds
        enable(false);
        if (say) {
            show(name + "...", false);
        }
        BackgroundWork.start(name, status, task, result -> {
            running--;
            enable(true);
            if (status.getText().endsWith("...")) {
                show("", false);
            }
            done.accept(result);
        }, e -> {
            running--;
            enable(true);
            fail(e.getMessage());
        });
    }

    private void enable(boolean on) {
        for (Control c : List.of(add, install, uninstall, repository)) {
            c.setEnabled(on);
        }
    }

    private void fail(String message) {
        lastError = message;
        show(message, true);
    }

    private void show(String message, boolean error) {
        status.setText(message == null ? "" : message);
        status.setForeground(error ? status.getDisplay().getSystemColor(SWT.COLOR_RED) : null);
    }

    /** True while p2 work this dialog started is running (the self-test waits on it). */
    boolean busy() {
        return running > 0;
    }

    /** The last install or uninstall that finished; null before the first. */
    PluginChange lastChange() {
        return lastChange;
    }

    /** The error of the last operation; null when it went well or is still running. */
    String lastError() {
        return lastError;
    }

    /** The status line as shown. */
    String statusText() {
        return status.getText();
    }
}
