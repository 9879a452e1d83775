// SPDX-License-Identifier: EPL-2.0
package org.tessera.plugins.core;

import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.equinox.p2.core.IProvisioningAgent;
import org.eclipse.equinox.p2.core.IProvisioningAgentProvider;
import org.eclipse.equinox.p2.core.ProvisionException;
import org.eclipse.equinox.p2.engine.IProfile;
import org.eclipse.equinox.p2.engine.IProfileRegistry;
import org.eclipse.equinox.p2.engine.IProvisioningPlan;
import org.eclipse.equinox.p2.engine.query.UserVisibleRootQuery;
import org.eclipse.equinox.p2.metadata.IInstallableUnit;
import org.eclipse.equinox.p2.metadata.IProvidedCapability;
import org.eclipse.equinox.p2.operations.InstallOperation;
import org.eclipse.equinox.p2.operations.ProfileChangeOperation;
import org.eclipse.equinox.p2.operations.ProvisioningJob;
import org.eclipse.equinox.p2.operations.ProvisioningSession;
import org.eclipse.equinox.p2.operations.UninstallOperation;
import org.eclipse.equinox.p2.query.IQueryable;
import org.eclipse.equinox.p2.query.QueryUtil;
import org.eclipse.equinox.p2.repository.IRepositoryManager;
import org.eclipse.equinox.p2.repository.artifact.IArtifactRepositoryManager;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepositoryManager;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Installs and uninstalls plugins (p2 features) in the running product with the p2 operations API
 * ({@link ProvisioningSession}, {@link InstallOperation}, {@link UninstallOperation}) and the repository
 * managers, then applies the new configuration to the running framework: the simple configurator installs
 * or removes the bundles, the new ones are resolved and started (lazy bundles with their activation policy,
 * so their DS components and e4 model fragments come up), and what could not be applied is reported so
 * the caller can offer a restart.
 * <p>
 * The profile is the running product's own ({@link IProfileRegistry#SELF}, {@code DefaultProfile} in a
 * materialized product). Methods block and report progress to the monitor: call them from a job, never
 * from the UI thread. One instance per user interaction; it holds no open resources.
 */
public final class PluginInstaller {
    /** Suffix of a feature's installable unit. */
    public static final String GROUP_SUFFIX = ".feature.group";

    /**
     * The simple configurator's service. Its package is exported only to p2's own bundles (x-friends),
     * so the one call we need, {@code applyConfiguration()}, goes through the service's own class
     * loader: the same call p2's "Apply Changes" makes.
     */
    private static final String CONFIGURATOR = "org.eclipse.equinox.internal.provisional.configurator.Configurator";
    private static final String BUNDLE_NAMESPACE = "osgi.bundle";

    private final BundleContext context;
    private final IProvisioningAgent agent;
    private final String profileId;

    private PluginInstaller(BundleContext context, IProvisioningAgent agent, String profileId) {
        this.context = context;
        this.agent = agent;
        this.profileId = profileId;
    }

    /**
     * The installer for the running product.
     *
     * @throws PluginException when the application has no p2 agent or profile (it was not started from a
     *                         materialized product)
     */
    public static PluginInstaller running(BundleContext context) throws PluginException {
        IProvisioningAgent agent = currentAgent(context);
        IProfileRegistry registry = agent.getService(IProfileRegistry.class);
        if (registry == null || registry.getProfile(IProfileRegistry.SELF) == null) {
            throw new PluginException("this application has no p2 profile (it was not started from a materialized "
                    + "Tessera product); install plugins into a product with 'tessera plugins install'");
        }
        return new PluginInstaller(context, agent, IProfileRegistry.SELF);
    }

    private static IProvisioningAgent currentAgent(BundleContext context) throws PluginException {
        try {
            Collection<ServiceReference<IProvisioningAgent>> refs = context.getServiceReferences(IProvisioningAgent.class,
                    "(" + IProvisioningAgent.SERVICE_CURRENT + "=true)");
            for (ServiceReference<IProvisioningAgent> ref : refs) {
                IProvisioningAgent agent = context.getService(ref);
                if (agent != null) {
                    return agent;
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        ServiceReference<IProvisioningAgentProvider> ref = context.getServiceReference(IProvisioningAgentProvider.class);
        IProvisioningAgentProvider provider = ref == null ? null : context.getService(ref);
        if (provider == null) {
            throw new PluginException("p2 is not running in this application (no provisioning agent provider); "
                    + "the product must include the org.tessera.p2.feature");
        }
        try {
            IProvisioningAgent agent = provider.createAgent(null); // null: the running system's agent
            if (agent == null) {
                throw new PluginException("this application has no p2 agent (eclipse.p2.data.area is not set)");
            }
            return agent;
        } catch (ProvisionException e) {
            throw new PluginException("cannot start p2 for this application: " + e.getMessage(), e);
        }
    }

    /**
     * Adds a p2 repository and loads it (metadata and artifacts), so its features become available.
     *
     * @param location an {@code http(s):} or {@code file:} URL, or a local folder holding a p2 repository
     *                 (e.g. the build's {@code releng/org.tessera.repository/target/repository})
     * @return the repository's URI as p2 knows it
     * @throws PluginException when the location is no repository or does not load
     */
    public URI addRepository(String location, IProgressMonitor monitor) throws PluginException {
        URI uri = toUri(location);
        SubMonitor sub = SubMonitor.convert(monitor, "Loading " + uri, 2);
        IMetadataRepositoryManager metadata = metadataManager();
        IArtifactRepositoryManager artifacts = agent.getService(IArtifactRepositoryManager.class);
        try {
            metadata.loadRepository(uri, sub.split(1));
            metadata.addRepository(uri);
            if (artifacts != null) {
                artifacts.loadRepository(uri, sub.split(1));
                artifacts.addRepository(uri);
            }
            return uri;
        } catch (ProvisionException e) {
            metadata.removeRepository(uri);
            if (artifacts != null) {
                artifacts.removeRepository(uri);
            }
            throw new PluginException("no p2 repository at " + uri + ": " + e.getMessage()
                    + " (give the folder that holds content.xml or content.jar, or its URL)", e);
        }
    }

    /** The repositories added so far (this application's known, non-system metadata repositories). */
    public List<URI> repositories() {
        return Arrays.stream(metadataManager().getKnownRepositories(IRepositoryManager.REPOSITORIES_NON_SYSTEM))
                .sorted().toList();
    }

    /**
     * The features the known repositories offer (the latest version of each; products left out), marked
     * when installed, sorted by name.
     */
    public List<PluginFeature> available(IProgressMonitor monitor) {
        Set<String> installed = installedIds();
        Set<IInstallableUnit> groups = metadataManager()
                .query(QueryUtil.createLatestQuery(QueryUtil.createIUGroupQuery()), monitor).toUnmodifiableSet();
        return groups.stream().filter(iu -> !QueryUtil.isProduct(iu))
                .map(iu -> feature(iu, installed.contains(iu.getId())))
                .sorted(Comparator.comparing(PluginFeature::name).thenComparing(PluginFeature::id)).toList();
    }

    /** The features installed in the running product as roots a user chose (the product's own included). */
    public List<PluginFeature> installed() {
        return roots().stream().map(iu -> feature(iu, true))
                .sorted(Comparator.comparing(PluginFeature::name).thenComparing(PluginFeature::id)).toList();
    }

    /**
     * Installs features (ids with or without {@code .feature.group}) from the known repositories, then
     * applies the change to the running framework.
     *
     * @throws PluginException when a feature is in no known repository, p2 finds no consistent install, or
     *                         the download or install fails
     */
    public PluginChange install(Collection<String> featureIds, IProgressMonitor monitor) throws PluginException {
        SubMonitor sub = SubMonitor.convert(monitor, "Installing " + String.join(", ", featureIds), 10);
        List<IInstallableUnit> units = new ArrayList<>();
        for (String id : featureIds) {
            Set<IInstallableUnit> found = metadataManager()
                    .query(QueryUtil.createLatestQuery(QueryUtil.createIUQuery(groupId(id))), sub.split(1))
                    .toUnmodifiableSet();
            if (found.isEmpty()) {
                throw new PluginException("no repository offers the feature " + featureId(groupId(id))
                        + " (known repositories: " + repositories() + "); add the repository that has it first");
            }
            units.addAll(found);
        }
        return change("install", featureIds, new InstallOperation(new ProvisioningSession(agent), units), sub.split(8));
    }

    /**
     * Uninstalls installed features (ids with or without {@code .feature.group}), then applies the change
     * to the running framework.
     *
     * @throws PluginException when a feature is not installed or p2 cannot remove it
     */
    public PluginChange uninstall(Collection<String> featureIds, IProgressMonitor monitor) throws PluginException {
        IProfile profile = profile();
        List<IInstallableUnit> units = new ArrayList<>();
        for (String id : featureIds) {
            Set<IInstallableUnit> found = profile.query(QueryUtil.createIUQuery(groupId(id)), null).toUnmodifiableSet();
            if (found.isEmpty()) {
                throw new PluginException("the feature " + featureId(groupId(id)) + " is not installed");
            }
            units.addAll(found);
        }
        return change("uninstall", featureIds, new UninstallOperation(new ProvisioningSession(agent), units), monitor);
    }

    private PluginChange change(String action, Collection<String> features, ProfileChangeOperation operation,
            IProgressMonitor monitor) throws PluginException {
        SubMonitor sub = SubMonitor.convert(monitor, 10);
        operation.setProfileId(profileId);
        IStatus resolved = operation.resolveModal(sub.split(3));
        if (resolved.getSeverity() == IStatus.ERROR || resolved.getSeverity() == IStatus.CANCEL) {
            throw new PluginException("cannot " + action + " " + String.join(", ", features) + ": "
                    + explain(operation.getResolutionDetails(), resolved));
        }
        IProvisioningPlan plan = operation.getProvisioningPlan();
        ProvisioningJob job = operation.getProvisioningJob(sub.split(1));
        if (job == null) {
            throw new PluginException("nothing to " + action + ": " + explain(operation.getResolutionDetails(), resolved));
        }
        IStatus done = job.runModal(sub.split(5));
        if (done.getSeverity() == IStatus.ERROR || done.getSeverity() == IStatus.CANCEL) {
            throw new PluginException(action + " of " + String.join(", ", features) + " failed: " + explain(null, done));
        }
        Set<BundleId> added = bundles(plan == null ? null : plan.getAdditions());
        Set<BundleId> removed = bundles(plan == null ? null : plan.getRemovals());
        removed.removeAll(added); // an update of a bundle is a removal and an addition
        if (job.getRestartPolicy() == ProvisioningJob.RESTART_ONLY) {
            return new PluginChange(action, List.copyOf(features), false, List.of(),
                    List.of("p2 asks for a restart to " + action + " these features"));
        }
        return apply(action, List.copyOf(features), added, removed, sub.split(1));
    }

    /**
     * Applies the profile's new configuration to the running framework and checks the result: every added
     * bundle resolved and started (fragments resolved), every removed one gone.
     */
    private PluginChange apply(String action, List<String> features, Set<BundleId> added, Set<BundleId> removed,
            IProgressMonitor monitor) {
        SubMonitor.convert(monitor, "Applying the change without a restart", 1);
        List<String> problems = new ArrayList<>();
        List<String> bundles = new ArrayList<>();
        ServiceReference<?> ref = context.getServiceReference(CONFIGURATOR);
        if (ref == null) {
            return new PluginChange(action, features, false, List.of(),
                    List.of("the simple configurator is not running, so the change applies at the next start"));
        }
        try {
            Object configurator = context.getService(ref);
            ref.getBundle().loadClass(CONFIGURATOR).getMethod("applyConfiguration").invoke(configurator);
        } catch (InvocationTargetException e) {
            return new PluginChange(action, features, false, List.of(),
                    List.of("applying the new configuration failed (" + e.getCause() + "); restart to finish"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new PluginChange(action, features, false, List.of(),
                    List.of("cannot apply the configuration here (" + e + "); restart to finish"));
        } finally {
            context.ungetService(ref);
        }
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_ID).adapt(FrameworkWiring.class);
        List<Bundle> fresh = new ArrayList<>();
        for (BundleId id : added) {
            Bundle b = find(id);
            if (b == null) {
                problems.add(id + " was not installed into the running framework");
            } else {
                fresh.add(b);
            }
        }
        wiring.resolveBundles(fresh);
        for (Bundle b : fresh) {
            BundleId id = BundleId.of(b);
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            if (b.getState() == Bundle.INSTALLED) {
                problems.add(id + " does not resolve in the running application"
                        + (fragment ? " (a fragment of a bundle already in use)" : ""));
                continue;
            }
            if (!fragment && b.getState() == Bundle.RESOLVED) {
                try {
                    b.start(Bundle.START_ACTIVATION_POLICY);
                } catch (BundleException | IllegalStateException e) {
                    problems.add(id + " does not start: " + e.getMessage());
                    continue;
                }
            }
            bundles.add(id.toString());
        }
        for (BundleId id : removed) {
            if (find(id) != null) {
                problems.add(id + " is still in the running framework");
            } else {
                bundles.add(id.toString());
            }
        }
        bundles.sort(null);
        return new PluginChange(action, features, true, bundles, problems);
    }

    private Bundle find(BundleId id) {
        for (Bundle b : context.getBundles()) {
            if (id.name().equals(b.getSymbolicName()) && id.version().equals(b.getVersion())
                    && b.getState() != Bundle.UNINSTALLED) {
                return b;
            }
        }
        return null;
    }

    private static Set<BundleId> bundles(IQueryable<IInstallableUnit> units) {
        Set<BundleId> ids = new LinkedHashSet<>();
        if (units == null) {
            return ids;
        }
        for (IInstallableUnit iu : units.query(QueryUtil.createIUAnyQuery(), null).toUnmodifiableSet()) {
            for (IProvidedCapability c : iu.getProvidedCapabilities()) {
                if (BUNDLE_NAMESPACE.equals(c.getNamespace())) {
                    try {
                        ids.add(new BundleId(c.getName(), Version.parseVersion(c.getVersion().toString())));
                    } catch (IllegalArgumentException e) {
                        // not an OSGi version: no bundle the framework could hold
                    }
                }
            }
        }
        return ids;
    }

    private record BundleId(String name, Version version) {
        static BundleId of(Bundle b) {
            return new BundleId(b.getSymbolicName(), b.getVersion());
        }

        @Override
        public String toString() {
            return name + "_" + version;
        }
    }

    private Set<String> installedIds() {
        Set<String> ids = new TreeSet<>();
        profile().query(QueryUtil.createIUGroupQuery(), null).forEach(iu -> ids.add(iu.getId()));
        return ids;
    }

    private Set<IInstallableUnit> roots() {
        Set<IInstallableUnit> roots = new LinkedHashSet<>();
        for (IInstallableUnit iu : profile().query(new UserVisibleRootQuery(), null).toUnmodifiableSet()) {
            if (QueryUtil.isGroup(iu) && !QueryUtil.isProduct(iu)) {
                roots.add(iu);
            }
        }
        return roots;
    }

    private IProfile profile() {
        IProfile p = agent.getService(IProfileRegistry.class).getProfile(profileId);
        if (p == null) {
            throw new IllegalStateException("the p2 profile " + profileId + " disappeared");
        }
        return p;
    }

    private IMetadataRepositoryManager metadataManager() {
        IMetadataRepositoryManager m = agent.getService(IMetadataRepositoryManager.class);
        if (m == null) {
            throw new IllegalStateException("p2's metadata repository manager is missing from this application");
        }
        return m;
    }

    private static PluginFeature feature(IInstallableUnit iu, boolean installed) {
        String name = iu.getProperty(IInstallableUnit.PROP_NAME, null);
        String description = iu.getProperty(IInstallableUnit.PROP_DESCRIPTION, null);
        return new PluginFeature(featureId(iu.getId()), iu.getVersion().toString(),
                name == null || name.isBlank() ? featureId(iu.getId()) : name, description == null ? "" : description,
                installed);
    }

    /** {@code x.feature.group} for {@code x}; ids that already end with the suffix are kept. */
    static String groupId(String id) {
        String trimmed = id.trim();
        return trimmed.endsWith(GROUP_SUFFIX) ? trimmed : trimmed + GROUP_SUFFIX;
    }

    private static String featureId(String groupId) {
        return groupId.endsWith(GROUP_SUFFIX) ? groupId.substring(0, groupId.length() - GROUP_SUFFIX.length()) : groupId;
    }

    /**
     * A repository location as a URI: URLs as given; a folder as its {@code file:} URI.
     *
     * @throws PluginException when it is neither a URL nor an existing folder
     */
    static URI toUri(String location) throws PluginException {
        String l = location == null ? "" : location.trim();
        if (l.isEmpty()) {
            throw new PluginException("give a repository: a URL (https://..., file:/...) or a local folder");
        }
        if (l.matches("^[A-Za-z][A-Za-z0-9+.-]+:/.*")) {
            try {
                return URI.create(l);
            } catch (IllegalArgumentException e) {
                throw new PluginException("not a valid repository URL: " + l + " (" + e.getMessage() + ")");
            }
        }
        if (l.startsWith("~/")) {
            l = System.getProperty("user.home") + l.substring(1);
        }
        Path folder = Path.of(l).toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new PluginException("no folder " + folder + " (give a p2 repository folder or a URL)");
        }
        return folder.toUri();
    }

    private static String explain(String details, IStatus status) {
        StringBuilder b = new StringBuilder();
        if (details != null && !details.isBlank()) {
            b.append(details.strip());
        } else {
            append(b, status);
        }
        return b.isEmpty() ? "p2 gave no reason" : b.toString();
    }

    private static void append(StringBuilder b, IStatus status) {
        if (status.getMessage() != null && !status.getMessage().isBlank()) {
            b.append(b.isEmpty() ? "" : "; ").append(status.getMessage());
        }
        for (IStatus child : status.getChildren()) {
            append(b, child);
        }
    }
}
