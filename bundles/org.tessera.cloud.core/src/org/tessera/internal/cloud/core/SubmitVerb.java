// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Component;
import org.tessera.cloud.core.EnvoyClient;
import org.tessera.cloud.core.EnvoyError;
import org.tessera.cloud.core.InvalidRequestError;
import org.tessera.cloud.core.Job;
import org.tessera.cloud.core.Project;
import org.tessera.cloud.core.ProjectStatus;
import org.tessera.cloud.core.WatchFile;
import org.tessera.core.FrameRangeException;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;

/** {@code tessera submit <folder> --app povray --frames ... [--watch]}: submit a project through Envoy. */
@Component(service = Verb.class)
public class SubmitVerb implements Verb {

    @Override
    public String name() {
        return "submit";
    }

    @Override
    public String summary() {
        return "submit a project folder to an Envoy service (GridMarkets or a Tessera gateway)";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera submit <folder> --app CODE --frames EXPR [options]

                Uploads every file under <folder> (through Envoy, which reads them from disk) and submits
                one render job; shows upload progress, and with --watch render progress until the
                job ends, the frames downloading into <folder>/gm_results (or --output).

                Options:
                  --app CODE           product, e.g. povray (see tessera cloud products)
                  --app-version V      product version (default: the newest offered)
                  --frames EXPR        frames, grammar "start [end] [step],..."
                  --scene FILE         job file relative to <folder> (default: the only file
                                       with the app's extension)
                  --name NAME          project name (default: the folder's name)
                  --instances N        concurrent machines (default 1)
                  --width W --height H output size (default 320 x 240)
                  --budget CREDITS     credits budget of the job; when it is consumed:
                  --budget-action A    stop (default), suspend (resume with tessera cloud
                                       resume) or alert (a status message; the job goes on)
                  --output DIR         download folder (default <folder>/gm_results)
                  --watch              wait for the render and show its progress
                """ + CloudLogin.HELP;
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        Set<String> options = new HashSet<>(CloudLogin.OPTIONS);
        options.addAll(Set.of("app", "app-version", "frames", "scene", "name", "instances", "width", "height",
                "budget", "budget-action", "output"));
        Set<String> flags = new HashSet<>(CloudLogin.FLAGS);
        flags.add("watch");
        VerbArguments a = VerbArguments.parse(args, options, flags);
        Path folder = context.resolve(a.requireOnePositional("project folder"));
        if (!Files.isDirectory(folder)) {
            throw new UsageException("not a folder: " + folder);
        }
        String app = a.value("app").orElseThrow(() -> new UsageException("--app is required, e.g. --app povray"));
        String frames = a.value("frames").orElseThrow(() -> new UsageException("--frames is required, e.g. --frames \"1 10\""));
        try (EnvoyClient client = CloudLogin.login(a, context)) {
            String version = a.value("app-version").orElseGet(() -> {
                List<String> versions = client.getProductResolver().getVersionsByType(app);
                if (versions.isEmpty()) {
                    throw new InvalidRequestError("the service offers no product '" + app + "' (see tessera cloud products)");
                }
                return versions.get(versions.size() - 1);
            });
            Project project = new Project(folder, a.value("name").orElse(null), null, null);
            project.addAllFiles();
            String scene = a.value("scene").orElseGet(() -> findScene(folder, app));
            Job job = new Job(project.name() + " " + app, app, version, "render", project.name() + "/" + scene);
            try {
                job.setFrames(frames);
            } catch (FrameRangeException e) {
                throw new UsageException(e.getMessage(), e);
            }
            job.setInstances(a.intValue("instances", 1, 1, 256));
            job.setParam("output_width", a.intValue("width", 320, 1, 32768));
            job.setParam("output_height", a.intValue("height", 240, 1, 32768));
            if (a.value("budget").isPresent()) {
                org.tessera.cloud.core.CreditsBudgetAction action;
                double budget;
                try {
                    action = org.tessera.cloud.core.CreditsBudgetAction.fromWire(a.value("budget-action", "stop"));
                    budget = Double.parseDouble(a.value("budget").get());
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--budget takes a number and --budget-action stop, suspend or alert", e);
                }
                job.setCreditsBudget(budget, action);
            }
            project.addJobs(job);
            Path output = a.value("output").map(context::resolve).orElse(folder.resolve("gm_results"));
            project.addWatchFiles(new WatchFile(project.remoteOutputFolder().replace(".", "\\.") + "/.+", output));
            String name = client.submitProject(project);
            context.out().println("Submitted project " + name + " (" + project.fileGroups().stream()
                    .mapToInt(g -> g.files().size()).sum() + " files) to " + client.baseUrl());
            return follow(client, name, a.flag("watch"), output, context);
        } catch (EnvoyError e) {
            context.err().println(e.getClass().getSimpleName() + ": " + e.getMessage());
            if (e instanceof InvalidRequestError ir && ir.errors().size() > 1) {
                ir.errors().forEach(m -> context.err().println("  - " + m));
            }
            return ExitCodes.FAILURE;
        }
    }

    private static String findScene(Path folder, String app) {
        String ext = switch (app) {
        case "povray" -> ".pov";
        case "raytracer" -> ".json";
        case "blender" -> ".blend";
        case "hou" -> ".hip";
        case "c4d" -> ".c4d";
        case "maya" -> ".mb";
        case "nuke" -> ".nk";
        case "vray" -> ".vrscene";
        default -> "";
        };
        try (Stream<Path> s = Files.walk(folder)) {
            List<Path> found = s.filter(Files::isRegularFile).filter(p -> !ext.isEmpty() && p.toString().endsWith(ext))
                    .toList();
            if (found.size() != 1) {
                throw new UsageException("cannot choose the job file (" + found.size() + " *" + ext
                        + " files): give --scene FILE");
            }
            return folder.relativize(found.get(0)).toString().replace('\\', '/');
        } catch (IOException e) {
            throw new UsageException("cannot list " + folder + ": " + e.getMessage());
        }
    }

    /** Polls status, drawing upload and (with watch) render progress bars. */
    static int follow(EnvoyClient client, String name, boolean watch, Path output, VerbContext context)
            throws InterruptedException {
        ProgressBar upload = new ProgressBar(context.out(), "upload");
        ProgressBar render = new ProgressBar(context.out(), "render");
        while (!context.isCancelled()) {
            ProjectStatus s = client.getProjectStatus(name);
            upload.update(s.bytesDone(), s.bytesTotal(), ProgressBar.bytes(s.bytesDone()) + " / "
                    + ProgressBar.bytes(s.bytesTotal()) + " " + ProgressBar.bytes(s.speed()) + "/s");
            long done = s.jobs().stream().mapToLong(ProjectStatus.JobStatus::framesDone).sum();
            long total = s.jobs().stream().mapToLong(ProjectStatus.JobStatus::framesTotal).sum();
            boolean uploaded = s.bytesTotal() > 0 && s.bytesDone() >= s.bytesTotal();
            if (!watch && uploaded) {
                context.out().println("Uploaded; follow with: tessera cloud status " + name);
                return ExitCodes.OK;
            }
            if (watch && total > 0) {
                render.update(done, total, done + "/" + total + " frames, " + s.state());
            }
            if (s.isFinished()) {
                context.out().println("Project " + name + ": " + s.state() + " - " + s.message());
                s.jobs().forEach(j -> context.out().println("  job " + j.name() + ": " + j.state() + ", " + j.framesDone()
                        + "/" + j.framesTotal() + " frames, " + String.format(java.util.Locale.ROOT, "%.3f", j.creditsConsumed())
                        + " credits" + (j.message().isEmpty() ? "" : " (" + j.message() + ")")));
                s.alerts().forEach(a -> context.out().println("  ALERT " + a));
                if (s.state().equals("Suspended")) {
                    context.out().println("Resume with: tessera cloud resume " + name + " [--budget C]");
                }
                if (output != null && Files.isDirectory(output)) {
                    // each job's results are in its own folder below the download folder
                    try (Stream<Path> files = Files.walk(output)) {
                        context.out().println("Downloaded " + files.filter(Files::isRegularFile)
                                .filter(p -> !p.getFileName().toString().startsWith(".")).count() + " files into " + output);
                    } catch (IOException e) {
                        context.err().println("cannot list " + output + ": " + e.getMessage());
                    }
                }
                return s.state().equals("Completed") ? ExitCodes.OK : ExitCodes.FAILURE;
            }
            Thread.sleep(250);
        }
        return ExitCodes.CANCELLED;
    }
}
