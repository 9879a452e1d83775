// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cli;

import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbContext;

/** {@code tessera version}: the Tessera build, Java and OS it runs on. */
@Component(service = Verb.class)
public class VersionVerb implements Verb {

    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "print the Tessera version and the Java runtime";
    }

    @Override
    public String usage() {
        return "Usage: tessera version\n\nPrints the Tessera build version, the Java runtime and the platform.";
    }

    @Override
    public int run(List<String> args, VerbContext context) {
        if (!args.isEmpty()) {
            throw new UsageException("version takes no arguments");
        }
        Bundle bundle = FrameworkUtil.getBundle(getClass());
        context.out().println("Tessera " + bundle.getVersion());
        context.out().println("Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        context.out().println("Platform " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return ExitCodes.OK;
    }
}
