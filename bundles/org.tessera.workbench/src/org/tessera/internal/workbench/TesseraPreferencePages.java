// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.workbench;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.jface.preference.ComboFieldEditor;
import org.eclipse.jface.preference.FieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.preference.PreferenceManager;
import org.eclipse.jface.preference.PreferenceNode;
import org.eclipse.jface.preference.StringFieldEditor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.tessera.workbench.NodeTokenStore;
import org.tessera.workbench.TesseraPreferences;

/**
 * The Preferences dialog: one {@link FieldEditorPreferencePage} per area over the instance-scope
 * store, and the node token page over secure storage.
 */
public final class TesseraPreferencePages {
    /** Page ids, in the order shown. */
    public static final List<String> PAGE_IDS = List.of("node", "tracker", "stats", "cloud", "render");

    private TesseraPreferencePages() {
    }

    public static IPreferenceStore store() {
        return new InstancePreferenceStore(TesseraPreferences.node(), TesseraPreferences.DEFAULTS);
    }

    public static PreferenceDialog create(Shell shell, IPreferenceStore store, List<String> engines) {
        PreferenceManager manager = new PreferenceManager();
        manager.addToRoot(new PreferenceNode("node", new Page("Render Nodes",
                "Nodes answer only requests carrying this token when reached off loopback.", store, page -> {
                    page.add(new TokenFieldEditor("Node token:", page.fields()));
                })));
        manager.addToRoot(new PreferenceNode("tracker", new Page("Render Tracker",
                "Where the embedded render tracker listens and keeps its data.", store, page -> {
                    IntegerFieldEditor port = new IntegerFieldEditor(TesseraPreferences.TRACKER_PORT, "XML-RPC port:", page.fields());
                    port.setValidRange(1, 65535);
                    page.add(port);
                    page.add(new StringFieldEditor(TesseraPreferences.TRACKER_DATABASE,
                            "Database (JDBC URL, blank for embedded H2):", page.fields()));
                })));
        manager.addToRoot(new PreferenceNode("stats", new Page("Statistics",
                "Where the stats recorder writes the farm's stats files; applies at once.", store, page -> {
                    page.add(new StringFieldEditor(TesseraPreferences.STATS_FOLDER,
                            "Stats folder (blank for the workspace's):", page.fields()));
                })));
        manager.addToRoot(new PreferenceNode("cloud", new Page("Cloud",
                "The Envoy gateway (or another Tessera farm) cloud submissions go to.", store, page -> {
                    page.add(new UrlFieldEditor(TesseraPreferences.GATEWAY_URL, "Gateway URL:", page.fields()));
                })));
        manager.addToRoot(new PreferenceNode("render", new Page("Rendering",
                "Values the render view starts with. The tile size applies to engines that cut frames into a grid "
                        + "(the raytracer); POV-Ray keeps its row bands.", store, page -> {
                    String[][] entries = engines.stream().map(e -> new String[] { e, e }).toArray(String[][]::new);
                    page.add(new ComboFieldEditor(TesseraPreferences.DEFAULT_ENGINE, "Default engine:", entries, page.fields()));
                    IntegerFieldEditor tile = new IntegerFieldEditor(TesseraPreferences.TILE_SIZE, "Tile size (pixels):", page.fields());
                    tile.setValidRange(8, 4096);
                    page.add(tile);
                })));
        PreferenceDialog dialog = new PreferenceDialog(shell, manager);
        dialog.setPreferenceStore(store);
        return dialog;
    }

    /** A page whose field editors come from a lambda. */
    static final class Page extends FieldEditorPreferencePage {
        private final Consumer<Page> fields;

        Page(String title, String description, IPreferenceStore store, Consumer<Page> fields) {
            super(title, GRID);
            setDescription(description);
            setPreferenceStore(store);
            this.fields = fields;
        }

        @Override
        protected void createFieldEditors() {
            fields.accept(this);
        }

        Composite fields() {
            return getFieldEditorParent();
        }

        void add(FieldEditor editor) {
            addField(editor);
        }
    }

    /** An http(s) URL, checked as typed. */
    static final class UrlFieldEditor extends StringFieldEditor {
        UrlFieldEditor(String name, String label, Composite parent) {
            super(name, label, parent);
            setErrorMessage("Enter an http:// or https:// URL with a host, e.g. http://127.0.0.1:8090");
            setValidateStrategy(VALIDATE_ON_KEY_STROKE);
        }

        @Override
        protected boolean doCheckState() {
            try {
                URI u = URI.create(getStringValue().trim());
                return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    /**
     * The node token: typed into a password field, written to secure storage on OK, never read back
     * into the widget; the label says whether one is stored.
     */
    static final class TokenFieldEditor extends FieldEditor {
        private Text text;
        private Label state;
        private Button clear;
        private boolean clearRequested;

        TokenFieldEditor(String label, Composite parent) {
            init("node.token", label);
            createControl(parent);
        }

        @Override
        protected void adjustForNumColumns(int numColumns) {
            ((GridData) text.getLayoutData()).horizontalSpan = numColumns - 2;
            ((GridData) state.getLayoutData()).horizontalSpan = numColumns;
        }

        @Override
        protected void doFillIntoGrid(Composite parent, int numColumns) {
            getLabelControl(parent);
            text = new Text(parent, SWT.SINGLE | SWT.BORDER | SWT.PASSWORD);
            text.setMessage("type a new token to replace the stored one");
            text.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, Math.max(1, numColumns - 2), 1));
            clear = new Button(parent, SWT.PUSH);
            clear.setText("Remove");
            clear.addListener(SWT.Selection, e -> {
                clearRequested = true;
                text.setText("");
                state.setText("The token will be removed when you press Apply.");
            });
            state = new Label(parent, SWT.WRAP);
            state.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, numColumns, 1));
        }

        @Override
        protected void doLoad() {
            try {
                state.setText(NodeTokenStore.open().hasToken() ? "A token is stored (encrypted in secure storage)."
                        : "No token is stored: nodes off loopback will refuse requests.");
            } catch (IOException e) {
                state.setText("Secure storage is not available: " + e.getMessage());
            }
        }

        @Override
        protected void doLoadDefault() {
            clearRequested = true;
            text.setText("");
        }

        @Override
        protected void doStore() {
            String typed = text.getText();
            if (typed.isBlank() && !clearRequested) {
                return;
            }
            try {
                NodeTokenStore.open().setToken(typed);
                text.setText("");
                clearRequested = false;
                doLoad();
            } catch (IOException e) {
                state.setText(e.getMessage());
            }
        }

        @Override
        public void store() {
            // not a plain store value: always through secure storage, defaults or not
            doStore();
        }

        @Override
        public int getNumberOfControls() {
            return 3;
        }
    }
}
