// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.core;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tessera.cloud.core.CreditsBudgetAction;
import org.tessera.cloud.core.EnvoyClient;
import org.tessera.cloud.core.EnvoyError;
import org.tessera.cloud.core.ProductType;
import org.tessera.cloud.core.ProjectStatus;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;

/** {@code tessera cloud products | status <project>}: ask an Envoy service. */
@Component(service = Verb.class)
public class CloudVerb implements Verb {

    @Override
    public String name() {
        return "cloud";
    }

    @Override
    public String summary() {
        return "list an Envoy service's products, or show a project's status";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera cloud products [options]
                       tessera cloud status <project> [--watch] [options]
                       tessera cloud resume <project> [--budget C [--budget-action A]] [options]

                products   the products (render engines) and versions the service offers
                status     upload and render state of a submitted project; --watch follows it
                resume     jobs suspended at their credits budget go on, with budget C (default:
                           their budget once more); A = stop, suspend or alert

                Options:
                """ + CloudLogin.HELP;
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        Set<String> flags = new HashSet<>(CloudLogin.FLAGS);
        flags.add("watch");
        Set<String> options = new HashSet<>(CloudLogin.OPTIONS);
        options.addAll(Set.of("budget", "budget-action"));
        VerbArguments a = VerbArguments.parse(args, options, flags);
        List<String> words = a.positionals();
        if (words.isEmpty()) {
            throw new UsageException("missing sub-command: products or status <project>");
        }
        try (EnvoyClient client = CloudLogin.login(a, context)) {
            switch (words.get(0)) {
            case "products" -> {
                for (ProductType t : client.getProductResolver().getAllTypes(true).values()) {
                    context.out().println(t.code() + "\t" + String.join(" ", t.versions()) + "\t" + t.name()
                            + (t.isPlugin() ? "\t(plugin)" : ""));
                }
                return ExitCodes.OK;
            }
            case "status" -> {
                if (words.size() != 2) {
                    throw new UsageException("usage: tessera cloud status <project>");
                }
                if (a.flag("watch")) {
                    return SubmitVerb.follow(client, words.get(1), true, null, context);
                }
                ProjectStatus s = client.getProjectStatus(words.get(1));
                context.out().println(words.get(1) + ": " + s.state() + " - " + s.message());
                context.out().println("  files  " + ProgressBar.bar(s.bytesDone(), s.bytesTotal(), 30) + " "
                        + s.bytesDone() + "/" + s.bytesTotal() + " bytes, " + s.details().size() + " files");
                for (ProjectStatus.JobStatus j : s.jobs()) {
                    context.out().println(String.format(Locale.ROOT, "  job %s %s %d/%d frames %s, %.3f credits %s",
                            j.name(), ProgressBar.bar(j.framesDone(), j.framesTotal(), 30), j.framesDone(),
                            j.framesTotal(), j.state(), j.creditsConsumed(), j.message()));
                }
                for (String alert : s.alerts()) {
                    context.out().println("  ALERT " + alert);
                }
                return ExitCodes.OK;
            }
            case "resume" -> {
                if (words.size() != 2) {
                    throw new UsageException("usage: tessera cloud resume <project> [--budget C]");
                }
                List<String> ids;
                if (a.value("budget").isPresent()) {
                    CreditsBudgetAction action;
                    double budget;
                    try {
                        action = CreditsBudgetAction.fromWire(a.value("budget-action", "stop"));
                        budget = Double.parseDouble(a.value("budget").get());
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--budget takes a number and --budget-action stop, suspend or alert", e);
                    }
                    ids = client.resumeProject(words.get(1), budget, action);
                } else {
                    ids = client.resumeProject(words.get(1));
                }
                context.out().println("Resumed " + ids.size() + " job(s) of " + words.get(1) + ": " + String.join(", ", ids));
                return a.flag("watch") ? SubmitVerb.follow(client, words.get(1), true, null, context) : ExitCodes.OK;
            }
            default -> throw new UsageException("unknown sub-command '" + words.get(0) + "': use products, status or resume");
            }
        } catch (EnvoyError e) {
            context.err().println(e.getClass().getSimpleName() + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }
}
