// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Copies a finished result into every watch folder whose pattern matches its remote path
 * ({@code /<project>/render_results/<output folder>/<job folder>/frame_0001.png}). The file keeps
 * its path below the output folder ({@code <watch folder>/<job folder>/frame_0001.png}), so two jobs
 * writing the same file names never overwrite each other. Each copy goes through a hidden temporary
 * file and an atomic move; what could not be delivered is returned, never dropped.
 */
final class ResultDelivery {
    private ResultDelivery() {
    }

    /** The remote name of a file in the store, {@code /<project>/...}. */
    static String remoteName(Path store, Path file) {
        return "/" + store.relativize(file).toString().replace('\\', '/');
    }

    /**
     * @param outputRoot the job's output folder's parent in the store ({@code <store>/<output_dir>})
     * @return one message per watch folder the file matched but could not be copied into
     */
    static List<String> deliver(Path store, Path outputRoot, Path file, Map<Pattern, Path> watch) {
        List<String> failures = new ArrayList<>();
        String remote = remoteName(store, file);
        Path relative = file.startsWith(outputRoot) ? outputRoot.relativize(file) : file.getFileName();
        for (Map.Entry<Pattern, Path> w : watch.entrySet()) {
            if (!w.getKey().matcher(remote).matches()) {
                continue;
            }
            Path folder = w.getValue();
            Path target = folder.resolve(relative).normalize();
            try {
                if (!target.startsWith(folder)) {
                    throw new IOException("it would leave the watch folder");
                }
                if (Files.exists(folder) && !Files.isDirectory(folder)) {
                    throw new IOException(folder + " is not a folder");
                }
                Files.createDirectories(target.getParent());
                if (Files.exists(target) && !Files.isRegularFile(target)) {
                    throw new IOException(target + " exists and is not a regular file");
                }
                Path tmp = target.resolveSibling("." + target.getFileName() + ".download");
                Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
                    why = fse.getFile() + ": " + fse.getReason();
                }
                failures.add("could not deliver " + remote + " to " + target + ": " + why);
            }
        }
        return failures;
    }
}
