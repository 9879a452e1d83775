// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.ui;

import java.util.List;
import java.util.function.BiPredicate;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.event.Event;
import org.tessera.cluster.core.ClusterConfig;
import org.tessera.cluster.core.ClusterConfigException;
import org.tessera.cluster.core.ClusterEvents;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.ClusterService;
import org.tessera.workbench.BackgroundWork;
import org.tessera.workbench.EventSubscription;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The Cluster view: host list and XML editors validated as you type, Apply, Start / Stop / Abort
 * (start runs as a job showing the connection progress), speed test, and the node table: host, state,
 * CPU, memory, licence, the masters holding the node and the last speed test, all from the service's
 * {@link ClusterService#getNodeStatus()} (refreshed on each {@link ClusterEvents} event; the view never
 * calls a node). When the service reports nodes held by another master or short of memory, a dialog
 * offers the override flag and starts again.
 */
public class ClusterPart {
    /** Part (and descriptor) id. */
    public static final String ID = "org.tessera.cluster.ui.part.cluster";

    /** Asks the user a yes/no question; tests answer without a modal dialog. */
    public BiPredicate<String, String> question = (title, message) -> MessageDialog.openQuestion(this.root.getShell(), title, message);

    @Inject
    @Optional
    ClusterService cluster;

    private Composite root;
    private CTabFolder editors;
    private Text hostList;
    private Text xml;
    private Label validation;
    private Button apply;
    private Button start;
    private Button stop;
    private Button abort;
    private Button speed;
    private Label action;
    private ProgressBar progress;
    private Table nodes;
    private List<NodeRow> rows = List.of();
    private EventSubscription events;
    private Job startJob;
    private ClusterConfig edited;

    @PostConstruct
    public void create(Composite parent) {
        root = parent;
        parent.setLayout(new GridLayout(1, false));
        editors = new CTabFolder(parent, SWT.BORDER | SWT.FLAT);
        editors.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, false));
        hostList = editor("Host list", "Render PCs, e.g. pc1 pc2, node01 - node08, localhost:7702");
        xml = editor("XML", "The configuration document (docs/cluster-config.md)");
        editors.setSelection(0);
        ((GridData) editors.getLayoutData()).heightHint = 110;
        validation = new Label(parent, SWT.WRAP);
        validation.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));

        Composite buttons = new Composite(parent, SWT.NONE);
        buttons.setLayout(new GridLayout(3, true));
        buttons.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        apply = button(buttons, "Apply", this::applyConfig);
        start = button(buttons, "Start", this::startCluster);
        stop = button(buttons, "Stop", this::stopCluster);
        abort = button(buttons, "Abort", () -> cluster.abortProgress());
        speed = button(buttons, "Speed Test", this::speedTest);

        Composite prog = new Composite(parent, SWT.NONE);
        prog.setLayout(new GridLayout(2, false));
        prog.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        action = new Label(prog, SWT.NONE);
        action.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        progress = new ProgressBar(prog, SWT.HORIZONTAL);
        GridData pd = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
        pd.widthHint = 120;
        progress.setLayoutData(pd);

        nodes = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL);
        nodes.setHeaderVisible(true);
        nodes.setLinesVisible(true);
        nodes.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        for (String[] c : new String[][] { { "Node", "125" }, { "State", "70" }, { "CPU", "50" }, { "Memory", "105" },
                { "Licence", "90" }, { "Master", "150" }, { "Speed test (down / up)", "205" } }) {
            TableColumn col = new TableColumn(nodes, SWT.LEFT);
            col.setText(c[0]);
            col.setWidth(Integer.parseInt(c[1]));
        }
        if (cluster == null) {
            validation.setText("No cluster service in this workbench.");
            for (Button b : List.of(apply, start, stop, abort, speed)) {
                b.setEnabled(false);
            }
            return;
        }
        hostList.addListener(SWT.Modify, e -> validateHostList());
        xml.addListener(SWT.Modify, e -> validateXml());
        events = EventSubscription.subscribe(ClusterPart.class, e -> BackgroundWork.inUi(root, () -> onEvent(e)),
                ClusterEvents.ROOT + "/*");
        showConfig(cluster.getConfigModel());
        updateState();
    }

    private Text editor(String title, String tip) {
        CTabItem item = new CTabItem(editors, SWT.NONE);
        item.setText(title);
        Text t = new Text(editors, SWT.MULTI | SWT.V_SCROLL | SWT.WRAP);
        t.setToolTipText(tip);
        item.setControl(t);
        return t;
    }

    private Button button(Composite parent, String text, Runnable r) {
        Button b = new Button(parent, SWT.PUSH);
        b.setText(text);
        b.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        b.addListener(SWT.Selection, e -> r.run());
        return b;
    }

    @PreDestroy
    public void dispose() {
        if (events != null) {
            events.close();
        }
    }

    private void showConfig(ClusterConfig config) {
        edited = config;
        String hosts = String.join(" ", config.nodes().stream().map(ClusterNode::address).toList());
        if (!hostList.getText().equals(hosts) && !hostList.isFocusControl()) {
            hostList.setText(hosts);
        }
        if (!xml.isFocusControl()) {
            xml.setText(config.toXml());
        }
        refresh();
    }

    private void validateHostList() {
        if (!hostList.isFocusControl() && editors.getSelectionIndex() != 0) {
            return;
        }
        try {
            ClusterConfig c = ClusterConfig.parseHostList(hostList.getText());
            edited = c.withOptions(cluster.getConfigModel().options()).withDisplay(cluster.getConfigModel().display());
            valid(c.nodes().size() + " node(s): " + String.join(", ", c.nodes().stream().map(ClusterNode::address).toList()));
            if (!xml.isFocusControl()) {
                xml.setText(edited.toXml());
            }
        } catch (ClusterConfigException e) {
            invalid(e);
        }
    }

    private void validateXml() {
        if (!xml.isFocusControl()) {
            return;
        }
        try {
            edited = ClusterConfig.parse(xml.getText());
            valid("XML is valid: " + edited.nodes().size() + " node(s)");
        } catch (ClusterConfigException e) {
            invalid(e);
        }
    }

    private void valid(String message) {
        validation.setForeground(root.getDisplay().getSystemColor(SWT.COLOR_DARK_GREEN));
        validation.setText(message);
        apply.setEnabled(true);
        root.layout(true, true);
    }

    private void invalid(ClusterConfigException e) {
        edited = null;
        validation.setForeground(root.getDisplay().getSystemColor(SWT.COLOR_RED));
        validation.setText(e.getMessage());
        apply.setEnabled(false);
        root.layout(true, true);
    }

    /** Sends the edited configuration to the service. */
    public void applyConfig() {
        if (edited == null) {
            return;
        }
        cluster.setConfig(edited.toXml());
        showConfig(cluster.getConfigModel());
    }

    /** Applies the editor's configuration and starts the cluster as a job; returns it. */
    public Job startCluster() {
        applyConfig();
        startJob = new Job("Starting the render cluster") {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                monitor.beginTask("Connecting to the nodes", IProgressMonitor.UNKNOWN);
                boolean ok = cluster.start();
                List<String> problems = cluster.getProblems();
                BackgroundWork.inUi(root, () -> {
                    updateState();
                    if (!ok) {
                        action.setText("Not started: " + String.join("; ", problems));
                    }
                });
                return ok ? Status.OK_STATUS : new Status(IStatus.WARNING, "org.tessera.cluster.ui",
                        "no node started: " + String.join("; ", problems));
            }

            @Override
            protected void canceling() {
                cluster.abortProgress();
            }
        };
        startJob.setUser(true);
        startJob.schedule();
        updateState();
        return startJob;
    }

    private void stopCluster() {
        BackgroundWork.start("Stopping the render cluster", root, () -> {
            cluster.stop();
            return true;
        }, ok -> updateState(), e -> action.setText("Stop failed: " + e.getMessage()));
    }

    /** Runs the speed test as a job; the service keeps the results, the node table shows them. */
    public Job speedTest() {
        return BackgroundWork.start("Cluster speed test", root, () -> cluster.runSpeedTests(), results -> refresh(),
                e -> action.setText("Speed test failed: " + e.getMessage()));
    }

    private void onEvent(Event e) {
        String topic = e.getTopic();
        if (topic.equals(ClusterEvents.PROGRESS_CHANGED)) {
            action.setText(String.valueOf(e.getProperty(ClusterEvents.ACTION)));
            progress.setSelection(((Number) e.getProperty(ClusterEvents.PROGRESS)).intValue());
        } else if (topic.equals(ClusterEvents.PROGRESS_FINISHED)) {
            progress.setSelection(Boolean.TRUE.equals(e.getProperty(ClusterEvents.SUCCESS)) ? 100 : 0);
            action.setText(Boolean.TRUE.equals(e.getProperty(ClusterEvents.ABORTED)) ? "Aborted"
                    : Boolean.TRUE.equals(e.getProperty(ClusterEvents.SUCCESS)) ? "Connected" : "No node started");
            updateState();
        } else if (topic.equals(ClusterEvents.CONFIG_CHANGED)) {
            showConfig(cluster.getConfigModel());
        } else if (topic.equals(ClusterEvents.NODE_HEARTBEAT)) {
            refresh();
        } else if (topic.equals(ClusterEvents.MULTIPLE_SERVERS_FOUND) && !Boolean.TRUE.equals(e.getProperty(ClusterEvents.ALLOWED))) {
            offerOverride("Nodes Held by Another Master", "These nodes are in use by another master ("
                    + e.getProperty(ClusterEvents.HELD_BY) + "):\n" + e.getProperty(ClusterEvents.HOSTS)
                    + "\n\nUse them anyway (allow multiple servers) and start again?", () -> cluster.setAllowMultipleServers(true));
        } else if (topic.equals(ClusterEvents.NOT_ENOUGH_MEMORY_FOUND) && !Boolean.TRUE.equals(e.getProperty(ClusterEvents.ALLOWED))) {
            offerOverride("Not Enough Memory", "These nodes have less free memory than the scene needs ("
                    + e.getProperty(ClusterEvents.REQUIRED_MB) + " MB):\n" + e.getProperty(ClusterEvents.HOSTS)
                    + "\n\nStart them anyway (ignore not enough memory) and start again?", () -> cluster.setIgnoreNotEnoughMemory(true));
        } else {
            updateState();
        }
    }

    private void offerOverride(String title, String message, Runnable allow) {
        // ask after the running start has ended, so "start again" does not race it
        Runnable ask = () -> {
            if (question.test(title, message)) {
                allow.run();
                startCluster();
            }
        };
        if (startJob != null && startJob.getState() != Job.NONE) {
            Job waiting = startJob;
            BackgroundWork.start("Waiting for the cluster start to end", root, () -> {
                waiting.join();
                return true;
            }, ok -> ask.run(), ex -> ask.run());
        } else {
            ask.run();
        }
    }

    private void updateState() {
        if (root.isDisposed()) {
            return;
        }
        boolean starting = startJob != null && startJob.getState() != Job.NONE;
        boolean running = cluster.isRunning();
        start.setEnabled(!starting && !running);
        stop.setEnabled(running);
        abort.setEnabled(starting);
        speed.setEnabled(running);
        refresh();
    }

    /** Shows the service's node status in the table (no network: the service's heartbeats keep it current). */
    public void refresh() {
        if (root.isDisposed()) {
            return;
        }
        rows = cluster.getNodeStatus().stream().map(NodeRow::of).toList();
        nodes.setItemCount(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            NodeRow r = rows.get(i);
            TableItem item = nodes.getItem(i);
            item.setText(new String[] { r.address(), r.state(), r.cpu(), r.memory(), r.licence(), r.masters(), r.speed() });
            item.setData(r);
        }
    }

    /** Rows of the node table (tests). */
    public List<NodeRow> rows() {
        return rows;
    }

    /** The validation message under the editors (tests). */
    public String validation() {
        return validation.getText();
    }

    /** The host list editor (tests type into it). */
    public Text hostList() {
        return hostList;
    }

    /** Whether Apply is enabled (tests). */
    public boolean canApply() {
        return apply.isEnabled();
    }
}
