// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    /** How long Ctrl-C / SIGTERM waits for the running verb to clean up (release nodes, flush files). */
    private static final long SHUTDOWN_GRACE_SECONDS = 10;

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public Object start(IApplicationContext context) {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS,
                new String[0]);
        context.applicationRunning();
        // The JVM halts once shutdown hooks return, so the hook waits for the verb to see the
        // cancellation and finish its own cleanup (a cluster releases its nodes, a server stops).
        Thread hook = new Thread(() -> {
            cancelled.set(true);
            try {
                finished.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tessera-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        String cwd = System.getProperty("tessera.cwd", System.getProperty("user.dir"));
        VerbDispatcher dispatcher = new VerbDispatcher(
                FrameworkUtil.getBundle(getClass()).getBundleContext(), System.out, System.err,
                Path.of(cwd), cancelled::get);
        try {
            return dispatcher.dispatch(Arrays.asList(args));
        } finally {
            finished.countDown();
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
