// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsFormatException.Reason;
import org.tessera.stats.core.StatsKind;

/**
 * The 24-byte header every stats file starts with, and the two ways in and out: a read-only memory
 * map checked against the header (size, magic, kind, version, CRC-32C), and an atomic write
 * (temporary file in the same folder, forced to disk, then renamed over the target).
 *
 * <pre>
 * 0  u8[4] magic "TSTF"
 * 4  u16   kind id ({@link StatsKind#id()})
 * 6  u16   format version (1)
 * 8  u64   payload length in bytes
 * 16 u32   CRC-32C of the payload
 * 20 u32   reserved, 0
 * 24 payload
 * </pre>
 */
public final class StatsContainer {
    public static final int HEADER_SIZE = 24;
    public static final int MAGIC = 0x46545354; // "TSTF" read little-endian
    public static final int VERSION = 1;

    private StatsContainer() {
    }

    /** Header fields of a file. */
    public record Header(int kindId, int version, long payloadLength, int crc) {
    }

    /** Reads and checks the header only (no checksum, no payload). */
    public static Header readHeader(ByteBuffer file, String source) throws StatsFormatException {
        ByteBuffer b = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.limit() < 4) {
            throw new StatsFormatException(Reason.TRUNCATED, source + ": " + b.limit()
                    + " bytes is too short for a stats file header (24 bytes)");
        }
        if (b.getInt(0) != MAGIC) {
            throw new StatsFormatException(Reason.BAD_MAGIC, source
                    + ": not a Tessera stats file (the first bytes are not \"TSTF\")");
        }
        if (b.limit() < HEADER_SIZE) {
            throw new StatsFormatException(Reason.TRUNCATED, source + ": " + b.limit()
                    + " bytes is too short for a stats file header (24 bytes); the file is truncated");
        }
        int kind = b.getShort(4) & 0xFFFF;
        int version = b.getShort(6) & 0xFFFF;
        long length = b.getLong(8);
        int crc = b.getInt(16);
        if (version != VERSION) {
            throw new StatsFormatException(Reason.UNSUPPORTED_VERSION, source + ": format version " + version
                    + " is not supported (this build reads version " + VERSION + "); use a matching Tessera");
        }
        return new Header(kind, version, length, crc);
    }

    /**
     * Checks a whole file image and returns its payload (a slice, little-endian, position 0).
     *
     * @param expected the kind the caller decodes, or null for any kind
     */
    public static ByteBuffer payload(ByteBuffer file, StatsKind expected, String source) throws StatsFormatException {
        Header h = readHeader(file, source);
        if (expected != null && h.kindId() != expected.id()) {
            String actual = StatsKind.ofId(h.kindId()).map(StatsKind::cliName).orElse("unknown kind " + h.kindId());
            throw new StatsFormatException(Reason.WRONG_KIND, source + ": this is a " + actual
                    + " stats file, not a " + expected.cliName() + " one");
        }
        long available = file.limit() - HEADER_SIZE;
        if (h.payloadLength() < 0 || h.payloadLength() > available) {
            throw new StatsFormatException(Reason.TRUNCATED, source + ": the header announces "
                    + Long.toUnsignedString(h.payloadLength()) + " payload bytes but the file has " + available
                    + "; the file is truncated (an interrupted copy?)");
        }
        if (h.payloadLength() < available) {
            throw new StatsFormatException(Reason.TRAILING_DATA, source + ": " + (available - h.payloadLength())
                    + " bytes follow the payload the header announces; the file is damaged");
        }
        ByteBuffer payload = file.slice(HEADER_SIZE, (int) h.payloadLength()).order(ByteOrder.LITTLE_ENDIAN);
        int crc = crc(payload);
        if (crc != h.crc()) {
            throw new StatsFormatException(Reason.BAD_CHECKSUM, source + ": checksum mismatch (header "
                    + Integer.toHexString(h.crc()) + ", payload " + Integer.toHexString(crc)
                    + "); the file was damaged after it was written");
        }
        return payload;
    }

    /** A writable little-endian heap copy of a whole buffer, positioned at 0. */
    public static ByteBuffer heapCopy(ByteBuffer source) {
        ByteBuffer b = ByteBuffer.allocate(source.limit()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(source.duplicate().position(0));
        return b.flip();
    }

    public static int crc(ByteBuffer payload) {
        CRC32C c = new CRC32C();
        c.update(payload.duplicate());
        return (int) c.getValue();
    }

    /** Maps a file read-only. The map stays valid after the channel closes. */
    public static ByteBuffer map(Path file) throws StatsFormatException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new StatsFormatException(Reason.UNREADABLE, file + ": " + size
                        + " bytes is larger than any stats file (2 GiB limit)");
            }
            if (size == 0) {
                return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        } catch (NoSuchFileException e) {
            throw new StatsFormatException(Reason.UNREADABLE, file + ": no such file", e);
        } catch (StatsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new StatsFormatException(Reason.UNREADABLE, file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Maps and checks a file, returning its payload. */
    public static ByteBuffer load(Path file, StatsKind expected) throws StatsFormatException {
        return payload(map(file), expected, file.toString());
    }

    /** Header plus payload as one heap buffer. */
    public static ByteBuffer image(StatsKind kind, ByteBuffer payload) {
        ByteBuffer p = payload.duplicate();
        ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE + p.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putShort((short) kind.id()).putShort((short) VERSION).putLong(p.remaining())
                .putInt(crc(p)).putInt(0);
        out.put(p);
        out.flip();
        return out;
    }

    /**
     * Writes header and payload to {@code target} atomically: a reader sees the old file or the new
     * one, never a torn one, even when the process dies mid-write.
     */
    public static void write(Path target, StatsKind kind, ByteBuffer payload) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            ByteBuffer p = payload.duplicate();
            ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(MAGIC).putShort((short) kind.id()).putShort((short) VERSION).putLong(p.remaining())
                    .putInt(crc(p)).putInt(0).flip();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (header.hasRemaining()) {
                    ch.write(header);
                }
                while (p.hasRemaining()) {
                    ch.write(p);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
