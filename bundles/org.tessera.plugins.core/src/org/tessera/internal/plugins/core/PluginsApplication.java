// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.plugins.core;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.FrameworkUtil;
import org.tessera.plugins.core.PluginChange;
import org.tessera.plugins.core.PluginException;
import org.tessera.plugins.core.PluginFeature;
import org.tessera.plugins.core.PluginInstaller;

/**
 * {@code org.tessera.plugins.core.app}: {@code install <feature>... [--repository R]...},
 * {@code uninstall <feature>...}, {@code list} (installed root features) and
 * {@code available [--repository R]...}, on the product this application runs in (the {@code tessera}
 * script starts the target product's own launcher with it). Feature ids may carry the
 * {@code .feature.group} suffix or not. Exit code 0 on success, 1 when the operation failed (the message
 * says why), 2 for a usage error.
 */
public class PluginsApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS, new String[0]);
        context.applicationRunning();
        List<String> features = new ArrayList<>();
        List<String> repositories = new ArrayList<>();
        String command = args.length == 0 ? "" : args[0];
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--repository") && i + 1 < args.length) {
                repositories.add(args[++i]);
            } else if (args[i].startsWith("-")) {
                System.err.println("tessera plugins: unknown option " + args[i]);
                return 2;
            } else {
                features.add(args[i]);
            }
        }
        long started = System.nanoTime();
        try {
            PluginInstaller installer = PluginInstaller.running(FrameworkUtil.getBundle(getClass()).getBundleContext());
            NullProgressMonitor monitor = new NullProgressMonitor();
            for (String r : repositories) {
                installer.addRepository(r, monitor);
            }
            switch (command) {
                case "install", "uninstall" -> {
                    if (features.isEmpty()) {
                        System.err.println("tessera plugins " + command + ": name the feature(s)");
                        return 2;
                    }
                    PluginChange change = command.equals("install") ? installer.install(features, monitor)
                            : installer.uninstall(features, monitor);
                    System.out.println((command.equals("install") ? "Installed " : "Uninstalled ")
                            + String.join(", ", change.features()) + " (" + change.bundles().size() + " bundle(s)).");
                    change.problems().forEach(p -> System.out.println("  " + p));
                    System.out.println("Operation completed in " + (System.nanoTime() - started) / 1_000_000 + " ms.");
                }
                case "list" -> installer.installed().forEach(f -> System.out.println(line(f)));
                case "available" -> installer.available(monitor).forEach(f -> System.out.println(line(f)
                        + (f.installed() ? "  (installed)" : "")));
                default -> {
                    System.err.println("tessera plugins: unknown subcommand '" + command + "' (install, uninstall, list, available)");
                    return 2;
                }
            }
            return IApplication.EXIT_OK;
        } catch (PluginException e) {
            System.err.println("tessera plugins: " + e.getMessage());
            return 1;
        } finally {
            System.out.flush();
            System.err.flush();
        }
    }

    /** {@code id.feature.group/version  name}, the p2 director's listing form followed by the label. */
    private static String line(PluginFeature f) {
        return f.id() + PluginInstaller.GROUP_SUFFIX + "/" + f.version() + "  " + f.name();
    }

    @Override
    public void stop() {
        // every operation runs to its end; p2 keeps the profile consistent if the process is killed
    }
}
