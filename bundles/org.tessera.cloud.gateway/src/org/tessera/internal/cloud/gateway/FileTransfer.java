// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.tessera.http.HttpExchange;

/**
 * One file going into the project store. Bytes stream into {@code <staging>/<name>.part}; only a
 * complete file is moved (atomically) to its place in the store, so a cut-off transfer leaves
 * nothing half-stored there, and the next attempt resumes from the part file's length.
 * <p>
 * Two sources: a file the gateway reads from the client's {@code localRoot} (the Envoy way; copied
 * by the kernel in {@link #COPY_STEP} steps, with progress after each), or an HTTP body
 * ({@code PUT /transfer}; Jetty's receive buffers are written to the part file as they arrive, no
 * stream adapter, no copy through the heap). Memory use does not depend on the file size.
 */
final class FileTransfer {
    /** Bytes a local copy moves between two progress updates. */
    static final long COPY_STEP = 4L << 20;

    final String remoteName;
    final Path target;
    final Path part;
    final long bytesTotal;
    volatile long bytesDone;
    volatile String state = "Queued";
    volatile double speed;
    volatile String error;
    private long startNanos;
    private long startBytes;

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

    /** Opens the part file positioned at its end (a part longer than the file starts over). */
    private FileChannel openPart() throws IOException {
        Files.createDirectories(part.getParent());
        long offset = resumeOffset();
        if (offset > bytesTotal) {
            Files.delete(part);
            offset = 0;
        }
        FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        out.position(offset);
        bytesDone = offset;
        startBytes = offset;
        startNanos = System.nanoTime();
        error = null;
        state = "Uploading";
        return out;
    }

    private void advance(long n) {
        bytesDone += n;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (seconds > 0) {
            speed = (bytesDone - startBytes) / seconds;
        }
    }

    /**
     * Copies {@code source} (a file under the client's localRoot) from {@link #resumeOffset()} on;
     * completes the file when {@link #bytesTotal} bytes are there.
     *
     * @return true when the file is complete and in the store
     */
    boolean receiveFrom(Path source) throws IOException {
        try (FileChannel out = openPart(); FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            while (bytesDone < bytesTotal) {
                long n = in.transferTo(bytesDone, Math.min(COPY_STEP, bytesTotal - bytesDone), out);
                if (n <= 0) {
                    break;
                }
                advance(n);
            }
        } catch (IOException | RuntimeException e) {
            interrupted(e.getMessage());
            throw e;
        }
        return finish("the source file is shorter than announced");
    }

    /**
     * Appends the request body (which starts at {@link #resumeOffset()}) to the part file; completes
     * the file when {@link #bytesTotal} bytes are there. Bytes beyond the total are refused.
     *
     * @return true when the file is complete and in the store
     * @throws IOException when the body is cut off (the bytes received stay staged) or longer than
     *         the file
     */
    boolean receive(HttpExchange exchange) throws IOException {
        boolean[] overflow = {false};
        try (FileChannel out = openPart()) {
            exchange.readBody(bytes -> {
                long room = bytesTotal - bytesDone;
                if (bytes.remaining() > room) {
                    overflow[0] = true;
                    bytes.limit(bytes.position() + (int) room);
                }
                int n = bytes.remaining();
                writeFully(out, bytes);
                advance(n);
                return !overflow[0];
            });
        } catch (IOException | RuntimeException e) {
            interrupted(e.getMessage());
            throw e;
        }
        if (overflow[0]) {
            interrupted("the body is longer than the " + bytesTotal + " bytes announced (X-Transfer-Total)");
            Files.deleteIfExists(part);
            bytesDone = 0;
            throw new TooLong(error);
        }
        return finish("cut off after " + bytesDone + " of " + bytesTotal + " bytes");
    }

    /** The body carried more bytes than {@code X-Transfer-Total} announced: the staged part is dropped. */
    static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;

        TooLong(String message) {
            super(message);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    private void interrupted(String why) {
        state = "Interrupted";
        error = why;
    }

    private boolean finish(String shortMessage) throws IOException {
        if (bytesDone < bytesTotal) {
            interrupted(shortMessage);
            return false;
        }
        Files.createDirectories(target.getParent());
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        state = "Completed";
        return true;
    }
}
