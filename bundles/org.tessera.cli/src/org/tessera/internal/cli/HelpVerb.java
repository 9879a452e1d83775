// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cli;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbContext;

/** {@code tessera help [verb]}: lists every installed verb, or shows one verb's usage. */
@Component(service = Verb.class)
public class HelpVerb implements Verb {
    private final List<Verb> verbs = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addVerb(Verb verb) {
        verbs.add(verb);
    }

    void removeVerb(Verb verb) {
        verbs.remove(verb);
    }

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String summary() {
        return "list the commands, or show how to use one";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera help [command]

                Without a command, lists every command installed in this Tessera.
                With one, shows its usage (the same as 'tessera <command> --help').""";
    }

    @Override
    public int run(List<String> args, VerbContext context) {
        if (args.size() > 1) {
            throw new UsageException("help takes at most one command name");
        }
        List<Verb> all = new java.util.ArrayList<>(verbs);
        if (all.stream().noneMatch(v -> v == this)) {
            all.add(this);
        }
        all.sort(Comparator.comparing(Verb::name));
        if (args.size() == 1) {
            String wanted = args.get(0);
            for (Verb v : all) {
                if (v.name().equals(wanted)) {
                    context.out().println(v.usage());
                    return ExitCodes.OK;
                }
            }
            throw new UsageException("no command '" + wanted + "'");
        }
        context.out().println("Tessera, a render farm workbench. Usage: tessera <command> [options]");
        context.out().println();
        context.out().println("Commands:");
        int width = all.stream().mapToInt(v -> v.name().length()).max().orElse(8);
        for (Verb v : all) {
            context.out().printf("  %-" + width + "s  %s%n", v.name(), v.summary());
        }
        context.out().println();
        context.out().println("Run 'tessera <command> --help' for a command's options.");
        context.out().println("'tessera workbench' starts the graphical workbench; 'tessera plugins' installs plugins.");
        return ExitCodes.OK;
    }
}
