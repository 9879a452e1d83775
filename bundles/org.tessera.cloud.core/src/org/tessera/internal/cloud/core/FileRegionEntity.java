// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cloud.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * A request body streamed from a region of a file. HttpCore's {@code FileEntity} copies through a
 * 4 KiB array, which its connection then gathers into 8 KiB socket writes; this entity writes
 * {@link #BUFFER} bytes at a time, which HttpCore passes straight to the socket (writes larger than
 * its own buffer are not copied), so a large upload costs few system calls and constant memory.
 */
final class FileRegionEntity extends AbstractHttpEntity {
    /** Bytes read from the file and written to the connection per step. */
    static final int BUFFER = 1 << 20;

    private final Path file;
    private final long offset;
    private final long length;

    FileRegionEntity(Path file, long offset, long length) {
        super(ContentType.APPLICATION_OCTET_STREAM, null);
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public InputStream getContent() throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return new java.io.FilterInputStream(Channels.newInputStream(channel)) {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                left--;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(length, 1)));
        byte[] array = buffer.array();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = offset;
            long end = offset + length;
            while (position < end) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), end - position));
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new IOException(file + " is shorter than the " + (end) + " bytes announced");
                }
                out.write(array, 0, n);
                position += n;
            }
        }
        out.flush();
    }

    @Override
    public void close() {
        // nothing held open between calls
    }
}
