// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.farm;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;
import org.tessera.core.ServerEndpoint;
import org.tessera.core.ServerEndpoints;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;
import org.tessera.internal.farm.FarmFile.FarmFileException;

/**
 * {@code tessera serve --config farm.json}: puts the configurations of a farm file into Configuration Admin,
 * prints each server's URL as it starts (its {@link ServerEndpoint}) and each failure, re-applies the file
 * whenever it changes (added, changed and removed configurations; a broken file is reported with its position
 * and changes nothing), and removes the farm's configurations when stopped.
 */
@Component(service = Verb.class)
public class FarmVerb implements Verb {
    /** How often the file is compared with what was applied, besides the file system's change events. */
    private static final long POLL_MILLIS = 250;
    /** A change counts once the file stayed the same this long (editors write in several steps). */
    private static final long SETTLE_MILLIS = 150;

    @Reference
    private ConfigurationAdmin configAdmin;

    private BundleContext bundleContext;

    @Activate
    void activate(BundleContext context) {
        bundleContext = context;
    }

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "run the servers a farm file configures (nodes, tracker, gateway), following its edits";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera serve --config farm.json

                Applies the configurations in farm.json (OSGi Configurator JSON, docs/configuration.md) to
                Configuration Admin, so the node servers, tracker endpoint and Envoy gateway it names start,
                and prints each server's URL once it listens. Editing the file changes the running services
                without a restart: added configurations start, changed ones are re-applied, removed ones
                stop. A file that cannot be read is reported with its line and column and changes nothing.
                Example:
                  {
                    ":configurator:resource-version": 1,
                    "org.tessera.node.server~a": { "port": 7701 },
                    "org.tessera.node.server~b": { "port": 7702 },
                    "org.tessera.cloud.gateway~main": { "port": 8090 }
                  }
                Runs until Ctrl-C, then stops every server of the file.""";
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        VerbArguments a = VerbArguments.parse(args, Set.of("config"), Set.of());
        if (!a.positionals().isEmpty()) {
            throw new UsageException("serve takes no positional arguments: " + a.positionals());
        }
        Path file = context.resolve(a.value("config")
                .orElseThrow(() -> new UsageException("missing --config farm.json"))).toAbsolutePath().normalize();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageException("cannot read the farm file " + file + ": " + e.getMessage(), e);
        }
        Map<String, Hashtable<String, Object>> first;
        try {
            first = FarmFile.parse(file, bytes);
        } catch (FarmFileException e) {
            throw new UsageException(e.getMessage(), e);
        }
        PrintStream out = context.out();
        FarmConfigurations farm = new FarmConfigurations(configAdmin);
        ServiceTracker<ServerEndpoint, ServerEndpoint> servers = reportServers(out);
        ServiceRegistration<EventHandler> failures = reportFailures(context.err());
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            out.println("Farm: " + file + " (" + first.size() + " configurations; edit the file to change them)");
            out.flush();
            farm.apply(first);
            while (!context.isCancelled()) {
                WatchKey key = watcher.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
                byte[] now = settled(file);
                if (now == null || Arrays.equals(now, bytes)) {
                    continue;
                }
                bytes = now;
                try {
                    FarmConfigurations.Changes changes = farm.apply(FarmFile.parse(file, now));
                    out.println("Farm file changed: " + changes);
                } catch (FarmFileException e) {
                    context.err().println("tessera serve: " + e.getMessage());
                    context.err().println("tessera serve: the running services keep their configurations;"
                            + " fix the file to apply it");
                }
                out.flush();
            }
            return ExitCodes.OK;
        } finally {
            try {
                farm.clear();
            } finally {
                failures.unregister();
                servers.close();
            }
        }
    }

    /** The file's bytes once they stopped changing, or null while it is missing (being replaced). */
    private static byte[] settled(Path file) throws IOException, InterruptedException {
        try {
            byte[] before = Files.readAllBytes(file);
            while (true) {
                Thread.sleep(SETTLE_MILLIS);
                byte[] after = Files.readAllBytes(file);
                if (Arrays.equals(before, after)) {
                    return after;
                }
                before = after;
            }
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Prints each server as it starts and stops. */
    private ServiceTracker<ServerEndpoint, ServerEndpoint> reportServers(PrintStream out) {
        ServiceTracker<ServerEndpoint, ServerEndpoint> t = new ServiceTracker<>(bundleContext, ServerEndpoint.class,
                null) {
            @Override
            public ServerEndpoint addingService(ServiceReference<ServerEndpoint> reference) {
                out.println("Serving " + reference.getProperty(Constants.SERVICE_PID) + " ("
                        + reference.getProperty(ServerEndpoint.KIND) + ") at " + ServerEndpoints.url(reference));
                out.flush();
                return super.addingService(reference);
            }

            @Override
            public void removedService(ServiceReference<ServerEndpoint> reference, ServerEndpoint service) {
                out.println("Stopped " + reference.getProperty(Constants.SERVICE_PID));
                out.flush();
                super.removedService(reference, service);
            }
        };
        t.open();
        return t;
    }

    /** Prints why a configured server did not start. */
    private ServiceRegistration<EventHandler> reportFailures(PrintStream err) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, ServerEndpoint.FAILED_TOPIC);
        return bundleContext.registerService(EventHandler.class, event -> {
            err.println("tessera serve: " + event.getProperty(Constants.SERVICE_PID) + " did not start: "
                    + event.getProperty(ServerEndpoint.MESSAGE));
            err.flush();
        }, props);
    }
}
