// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.FrameworkUtil;

/**
 * {@code org.tessera.cli.app}: runs {@code tessera <verb> args...}. The launcher passes the words
 * after {@code -application org.tessera.cli.app} as application arguments; the exit code of the
 * verb becomes the process exit code.
 */
public class TesseraApplication implements IApplication {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    @Override
    public Object start(IApplicationContext context) {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS,
                new String[0]);
        context.applicationRunning();
        Thread hook = new Thread(() -> cancelled.set(true), "tessera-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        String cwd = System.getProperty("tessera.cwd", System.getProperty("user.dir"));
        VerbDispatcher dispatcher = new VerbDispatcher(
                FrameworkUtil.getBundle(getClass()).getBundleContext(), System.out, System.err,
                Path.of(cwd), cancelled::get);
        try {
            return dispatcher.dispatch(Arrays.asList(args));
        } finally {
            System.out.flush();
            System.err.flush();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting (Ctrl-C); nothing to undo
            }
        }
    }

    @Override
    public void stop() {
        cancelled.set(true);
    }
}
