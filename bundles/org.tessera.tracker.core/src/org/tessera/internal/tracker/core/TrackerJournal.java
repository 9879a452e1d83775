// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import org.tessera.tracker.core.FrameStatus;

/**
 * The tracker's write-ahead journal: an append-only file of records {@code [length][crc32][sequence]
 * [operations]}. A change is acknowledged once its record is written to the file (one {@code write}
 * per group of changes), which survives a kill -9 of the process; with {@code force} it is also
 * flushed to the device, which survives a power loss at the cost of an fsync per group. The database
 * is updated after the acknowledgement and is the checkpoint: records up to the sequence the database
 * has stored are skipped at recovery, and the file is emptied once the database has been made durable.
 */
final class TrackerJournal implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final boolean force;

    TrackerJournal(Path path, boolean force) throws IOException {
        this.path = path;
        this.force = force;
        Files.createDirectories(path.toAbsolutePath().getParent());
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.position(channel.size());
    }

    Path path() {
        return path;
    }

    /** Appends one record; returns once it is written (and forced, when configured). */
    void append(long sequence, List<TrackerStore.Op> ops) throws IOException {
        byte[] payload = encode(ops);
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer buffer = ByteBuffer.allocate(16 + payload.length);
        buffer.putInt(payload.length).putInt((int) crc.getValue()).putLong(sequence).put(payload).flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        if (force) {
            channel.force(false);
        }
    }

    /** One readable record. */
    record Entry(long sequence, List<TrackerStore.Op> ops) {
    }

    /** Every complete, intact record in order; stops at a torn or corrupt tail (never acknowledged). */
    List<Entry> readAll() throws IOException {
        List<Entry> entries = new ArrayList<>();
        byte[] all = Files.readAllBytes(path);
        ByteBuffer b = ByteBuffer.wrap(all);
        while (b.remaining() >= 16) {
            int length = b.getInt();
            int crc = b.getInt();
            long sequence = b.getLong();
            if (length < 0 || length > b.remaining()) {
                break;
            }
            byte[] payload = new byte[length];
            b.get(payload);
            CRC32 check = new CRC32();
            check.update(payload);
            if ((int) check.getValue() != crc) {
                break;
            }
            entries.add(new Entry(sequence, decode(payload)));
        }
        return entries;
    }

    /** Empties the file (everything in it is durable in the database). */
    void truncate() throws IOException {
        channel.truncate(0);
        channel.position(0);
        if (force) {
            channel.force(false);
        }
    }

    long size() throws IOException {
        return channel.size();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    // ------------------------------------------------------------ encoding

    private static final byte PUT_PROJECT = 1;
    private static final byte PUT_PROJECT_ERROR = 2;
    private static final byte REMOVE_PROJECT = 3;
    private static final byte PUT_FRAME = 4;
    private static final byte APPEND_LOG = 5;
    private static final byte EVENT_COUNTER = 6;

    static byte[] encode(List<TrackerStore.Op> ops) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * ops.size() + 16);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(ops.size());
            for (TrackerStore.Op op : ops) {
                switch (op) {
                    case TrackerStore.PutProject p -> {
                        out.writeByte(PUT_PROJECT);
                        writeString(out, p.project().name());
                        out.writeBoolean(p.project().generateIfds());
                        out.writeLong(p.project().jobId());
                        out.writeLong(p.project().createdMs());
                        writeString(out, p.project().error());
                        out.writeInt(p.frames().size());
                        for (TrackedFrame.Row f : p.frames()) {
                            writeFrame(out, f);
                        }
                    }
                    case TrackerStore.PutProjectError e -> {
                        out.writeByte(PUT_PROJECT_ERROR);
                        writeString(out, e.project());
                        writeString(out, e.error());
                    }
                    case TrackerStore.RemoveProject r -> {
                        out.writeByte(REMOVE_PROJECT);
                        writeString(out, r.project());
                    }
                    case TrackerStore.PutFrame f -> {
                        out.writeByte(PUT_FRAME);
                        writeFrame(out, f.frame());
                    }
                    case TrackerStore.AppendLog l -> {
                        out.writeByte(APPEND_LOG);
                        writeString(out, l.project());
                        out.writeInt(l.frame());
                        out.writeLong(l.timeMs());
                        writeString(out, l.message());
                    }
                    case TrackerStore.EventCounter c -> {
                        out.writeByte(EVENT_COUNTER);
                        out.writeLong(c.value());
                    }
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<TrackerStore.Op> decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int n = in.readInt();
        List<TrackerStore.Op> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte type = in.readByte();
            switch (type) {
                case PUT_PROJECT -> {
                    TrackedProject.Row row = new TrackedProject.Row(readString(in), in.readBoolean(), in.readLong(),
                            in.readLong(), readString(in));
                    int frames = in.readInt();
                    List<TrackedFrame.Row> rows = new ArrayList<>(frames);
                    for (int f = 0; f < frames; f++) {
                        rows.add(readFrame(in));
                    }
                    ops.add(new TrackerStore.PutProject(row, rows));
                }
                case PUT_PROJECT_ERROR -> ops.add(new TrackerStore.PutProjectError(readString(in), readString(in)));
                case REMOVE_PROJECT -> ops.add(new TrackerStore.RemoveProject(readString(in)));
                case PUT_FRAME -> ops.add(new TrackerStore.PutFrame(readFrame(in)));
                case APPEND_LOG -> ops.add(new TrackerStore.AppendLog(readString(in), in.readInt(), in.readLong(),
                        readString(in)));
                case EVENT_COUNTER -> ops.add(new TrackerStore.EventCounter(in.readLong()));
                default -> throw new IOException("unknown journal operation " + type);
            }
        }
        return ops;
    }

    private static void writeFrame(DataOutputStream out, TrackedFrame.Row f) throws IOException {
        writeString(out, f.project());
        out.writeInt(f.number());
        out.writeByte(f.status().ordinal());
        out.writeDouble(f.renderFraction());
        out.writeDouble(f.downloadFraction());
        out.writeLong(f.jobId());
        writeString(out, f.imagePath());
        writeString(out, f.error());
        out.writeLong(f.eventId());
        out.writeLong(f.renderStartedMs());
        out.writeLong(f.renderEndedMs());
    }

    private static TrackedFrame.Row readFrame(DataInputStream in) throws IOException {
        return new TrackedFrame.Row(readString(in), in.readInt(), FrameStatus.ofIndex(in.readByte()), in.readDouble(),
                in.readDouble(), in.readLong(), readString(in), readString(in), in.readLong(), in.readLong(), in.readLong());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        if (n > in.available()) {
            throw new EOFException("string longer than the record");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
