// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.ui;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.tessera.stats.core.StatsFileType;
import org.tessera.stats.core.StatsFiles;

/**
 * CSV export of stats files through the {@link StatsFileType} services (the same columns as
 * {@code tessera stats export}), so kinds that other bundles contribute export too.
 */
public final class CsvExport {
    private CsvExport() {
    }

    /** The registered type that reads {@code file}, if any. */
    static Optional<StatsFileType> typeOf(Path file) throws IOException {
        int kind = StatsFiles.kindIdOf(file);
        BundleContext ctx = FrameworkUtil.getBundle(CsvExport.class).getBundleContext();
        if (ctx == null) {
            throw new IOException("the stats view's bundle is not active");
        }
        try {
            Collection<ServiceReference<StatsFileType>> refs = ctx.getServiceReferences(StatsFileType.class, null);
            for (ServiceReference<StatsFileType> r : refs) {
                StatsFileType t = ctx.getService(r);
                if (t != null && t.kindId() == kind) {
                    return Optional.of(t);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return Optional.empty();
    }

    /**
     * Writes one CSV file per stats file: to {@code target} itself when there is one source and
     * {@code target} is not a folder, else to {@code <target>/<source name>.csv}.
     *
     * @return the files written
     */
    public static List<Path> export(List<Path> sources, Path target) throws IOException {
        List<Path> written = new ArrayList<>();
        boolean intoFolder = sources.size() > 1 || Files.isDirectory(target);
        if (intoFolder) {
            Files.createDirectories(target);
        }
        for (Path src : sources) {
            Path out = intoFolder ? target.resolve(src.getFileName() + ".csv") : target;
            StatsFileType type = typeOf(src).orElseThrow(
                    () -> new IOException(src.getFileName() + ": no installed stats file type reads this kind"));
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".export", ".csv");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                    CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                            .setHeader(type.columns().toArray(String[]::new)).get())) {
                IOException[] failure = new IOException[1];
                type.exportRows(src, null, null, row -> {
                    try {
                        csv.printRecord(row);
                    } catch (IOException e) {
                        failure[0] = e;
                    }
                });
                if (failure[0] != null) {
                    throw failure[0];
                }
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            written.add(out);
        }
        return written;
    }
}
