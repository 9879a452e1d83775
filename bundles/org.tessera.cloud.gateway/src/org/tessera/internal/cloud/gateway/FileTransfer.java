// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One file going into the project store. Bytes stream into {@code <staging>/<name>.part}; only a
 * complete file is moved (atomically) to its place in the store, so a cut-off transfer leaves
 * nothing half-stored there, and the next attempt resumes from the part file's length.
 */
final class FileTransfer {
    final String remoteName;
    final Path target;
    final Path part;
    final long bytesTotal;
    volatile long bytesDone;
    volatile String state = "Queued";
    volatile double speed;
    volatile String error;

    FileTransfer(String remoteName, Path target, Path part, long bytesTotal) {
        this.remoteName = remoteName;
        this.target = target;
        this.part = part;
        this.bytesTotal = bytesTotal;
    }

    /** Bytes already in the part file (where a resumed transfer starts). */
    long resumeOffset() throws IOException {
        return Files.exists(part) ? Files.size(part) : 0;
    }

    /**
     * Appends {@code in} (which starts at {@link #resumeOffset()}) to the part file; completes the file
     * when {@link #bytesTotal} bytes are there.
     *
     * @return true when the file is complete and in the store
     */
    boolean receive(InputStream in) throws IOException {
        Files.createDirectories(part.getParent());
        long offset = resumeOffset();
        if (offset > bytesTotal) {
            Files.delete(part);
            offset = 0;
        }
        bytesDone = offset;
        state = "Uploading";
        long start = System.nanoTime();
        long startBytes = offset;
        byte[] buffer = new byte[256 * 1024];
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            int n;
            while (bytesDone < bytesTotal && (n = in.read(buffer, 0, (int) Math.min(buffer.length, bytesTotal - bytesDone))) > 0) {
                out.write(buffer, 0, n);
                bytesDone += n;
                double seconds = (System.nanoTime() - start) / 1e9;
                if (seconds > 0) {
                    speed = (bytesDone - startBytes) / seconds;
                }
            }
        } catch (IOException e) {
            state = "Interrupted";
            error = e.getMessage();
            throw e;
        }
        if (bytesDone < bytesTotal) {
            state = "Interrupted";
            error = "cut off after " + bytesDone + " of " + bytesTotal + " bytes";
            return false;
        }
        Files.createDirectories(target.getParent());
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        state = "Completed";
        return true;
    }
}
