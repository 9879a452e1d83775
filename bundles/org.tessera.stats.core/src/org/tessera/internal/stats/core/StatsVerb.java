// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.Subcommand;
import org.tessera.core.cli.Subcommands;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;
import org.tessera.stats.core.StatsFileType;
import org.tessera.stats.core.StatsFiles;
import org.tessera.stats.core.StatsFormatException;

/** {@code tessera stats show|export|bench}. */
@Component(service = Verb.class)
public class StatsVerb implements Verb {
    private final List<StatsFileType> types = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addType(StatsFileType type) {
        types.add(type);
    }

    void removeType(StatsFileType type) {
        types.remove(type);
    }

    /** Subcommands other bundles add ({@code bench}: the org.tessera.bench bundle). */
    @Reference(target = "(" + Subcommand.PARENT + "=stats)", cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    private volatile List<Subcommand> subcommands;

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String summary() {
        return "show or export (CSV) Royal-Render-style stats files";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera stats show <file>
                       tessera stats export --kind <kind> [--from <date>] [--to <date>] [--out <file.csv>] <folder or file>
                       tessera stats bench [--dir <folder>]

                show    prints a readable summary of one stats file of any kind.
                export  writes one CSV row per time slot (or item) of every file of <kind> in the folder
                        (searched recursively; other files are skipped), or of the one file given.
                        Kinds: %s
                        --from, --to  local date (2025-06-02, --to inclusive) or date-time
                                      (2025-06-02T18:00, --to exclusive); slots outside are left out
                        --out         CSV file to write (default: standard output)
                bench   decode speed of a year of server stats and 180 days of client stats against a
                        plain sequential read of the same bytes.

                Example (the weekly report):
                  tessera stats export --kind daily --from 2025-06-02 --to 2025-06-08 --out weekly.csv stats/daily"""
                .formatted(String.join(", ", kindNames()));
    }

    private List<String> kindNames() {
        return types.stream().map(StatsFileType::name).sorted().toList();
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException("missing sub-command: show, export or bench");
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "show" -> show(VerbArguments.parse(rest, Set.of(), Set.of()), context);
            case "export" -> export(VerbArguments.parse(rest, Set.of("kind", "from", "to", "out"), Set.of()), context);
            default -> Subcommands.run("stats", subcommands, args.get(0), rest, context, "show, export or bench");
        };
    }

    private int show(VerbArguments a, VerbContext context) throws IOException {
        Path file = context.resolve(a.requireOnePositional("stats file"));
        int kind = StatsFiles.kindIdOf(file);
        StatsFileType type = types.stream().filter(t -> t.kindId() == kind).findFirst()
                .orElseThrow(() -> new StatsFormatException(StatsFormatException.Reason.WRONG_KIND,
                        file + ": kind " + kind + " is not known to any installed stats bundle"));
        // names inside a stats file are data: an escape sequence among them must not act on the terminal
        context.out().print(org.tessera.core.cli.TerminalText.printable(type.summarize(file)));
        return ExitCodes.OK;
    }

    private int export(VerbArguments a, VerbContext context) throws IOException {
        String kindName = a.value("kind").orElseThrow(() -> new UsageException(
                "missing --kind (one of " + String.join(", ", kindNames()) + ")"));
        StatsFileType type = types.stream().filter(t -> t.name().equalsIgnoreCase(kindName)).findFirst()
                .orElseThrow(() -> new UsageException("unknown kind '" + kindName + "': use one of "
                        + String.join(", ", kindNames())));
        LocalDateTime from = a.value("from").map(v -> time(v, "from", false)).orElse(null);
        LocalDateTime to = a.value("to").map(v -> time(v, "to", true)).orElse(null);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new UsageException("--from " + from + " is not before --to " + to);
        }
        Path source = context.resolve(a.requireOnePositional("stats folder or file"));
        if (!Files.exists(source)) {
            throw new UsageException(source + " does not exist");
        }
        List<Path> files = new ArrayList<>();
        boolean single = Files.isRegularFile(source);
        if (single) {
            files.add(source);
        } else {
            try (Stream<Path> walk = Files.walk(source)) {
                walk.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        Optional<Path> out = a.value("out").map(context::resolve);
        int failed = 0;
        int exported = 0;
        long[] rows = { 0 };
        Writer w = out.isPresent() ? Files.newBufferedWriter(out.get(), StandardCharsets.UTF_8)
                : new java.io.FilterWriter(new java.io.OutputStreamWriter(context.out(), StandardCharsets.UTF_8)) {
                    @Override
                    public void close() throws IOException {
                        flush(); // never close the process's stdout
                    }
                };
        try (CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(type.columns().toArray(String[]::new))
                .get())) {
            for (Path f : files) {
                if (context.isCancelled()) {
                    return ExitCodes.CANCELLED;
                }
                try {
                    if (!single && StatsFiles.kindIdOf(f) != type.kindId()) {
                        continue;
                    }
                    type.exportRows(f, from, to, row -> {
                        try {
                            csv.printRecord(row);
                            rows[0]++;
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    exported++;
                } catch (StatsFormatException e) {
                    boolean notStats = e.reason() == StatsFormatException.Reason.BAD_MAGIC
                            || (e.reason() == StatsFormatException.Reason.TRUNCATED && Files.size(f) < StatsContainer.HEADER_SIZE);
                    if (single || !notStats) {
                        context.err().println("tessera stats: skipped " + e.getMessage());
                        failed++;
                    }
                }
            }
            csv.flush();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            if (out.isEmpty()) {
                w.flush();
            }
        }
        context.err().println("tessera stats: " + rows[0] + " rows from " + exported + " " + type.name() + " file"
                + (exported == 1 ? "" : "s") + out.map(p -> " to " + p).orElse(""));
        return failed > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    private static LocalDateTime time(String v, String option, boolean end) {
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return end ? d.plusDays(1).atStartOfDay() : d.atStartOfDay();
            }
            return LocalDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw new UsageException("--" + option + " must be a date like 2025-06-02 or a date-time like 2025-06-02T18:00, not \""
                    + v + "\"");
        }
    }
}
