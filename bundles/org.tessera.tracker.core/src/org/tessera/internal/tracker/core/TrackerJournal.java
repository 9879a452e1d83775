// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
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
import org.tessera.tracker.core.JobId;

/**
 * The tracker's write-ahead journal: append-only segment files of records {@code [length][crc32]
 * [sequence][operations]}, one record per acknowledged call. {@link #append} writes a whole group of
 * records (every call that arrived while the previous group was being written) with one {@code write},
 * and forces it to the device when configured: a written group survives a kill -9 of the process, a
 * forced one a power loss too. Segments are named {@code <base>.<n>} (a journal of an older Tessera,
 * {@code <base>} itself, reads as segment 0); {@link #rotate} starts the next one so that a checkpoint
 * can copy the older segments' changes into the database while new calls keep appending, and then
 * {@link #delete} them. At recovery every segment is read in order and a torn or corrupt tail of a
 * segment (a record that was never acknowledged) ends that segment.
 */
final class TrackerJournal implements AutoCloseable {
    private static final int HEADER = 16;
    private final Path base;
    private final boolean force;
    private FileChannel channel;
    /** Bytes in the current segment, kept here: asking the channel costs a system call each time. */
    private volatile long size;
    private Path current;
    private int index;
    /** Reused between groups: the journal is written by one thread at a time (the group leader). */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
    private final CRC32 crc = new CRC32();

    /**
     * Opens a new, empty segment after the existing ones (call {@link #segments} and recover those
     * first).
     */
    TrackerJournal(Path base, boolean force) throws IOException {
        this.base = base.toAbsolutePath();
        this.force = force;
        Files.createDirectories(this.base.getParent());
        List<Path> existing = segments(this.base);
        this.index = existing.isEmpty() ? 0 : segmentIndex(this.base, existing.get(existing.size() - 1));
        openNext();
    }

    private void openNext() throws IOException {
        index++;
        current = Path.of(base + "." + index);
        channel = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        size = 0;
    }

    Path path() {
        return base;
    }

    /** The segment files of a journal, oldest first. */
    static List<Path> segments(Path base) throws IOException {
        Path dir = base.toAbsolutePath().getParent();
        String name = base.getFileName().toString();
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (var files = Files.list(dir)) {
            files.filter(p -> {
                String n = p.getFileName().toString();
                return n.equals(name) || n.startsWith(name + ".") && n.substring(name.length() + 1).chars().allMatch(Character::isDigit)
                        && n.length() > name.length() + 1;
            }).forEach(found::add);
        }
        found.sort(java.util.Comparator.comparingInt(p -> segmentIndex(base.toAbsolutePath(), p)));
        return found;
    }

    private static int segmentIndex(Path base, Path segment) {
        String n = segment.getFileName().toString();
        String b = base.getFileName().toString();
        return n.equals(b) ? 0 : Integer.parseInt(n.substring(b.length() + 1));
    }

    /** One call's operations, as the journal hands them back. */
    record Entry(long sequence, List<TrackerStore.Op> ops) {
    }

    /**
     * Appends one record per call, all with one {@code write} (and one force when configured); returns
     * once they are written. On failure the segment is cut back to where the group began, so that a
     * later group never follows a half-written one.
     */
    void append(List<TrackerStore.Ticket> group) throws IOException {
        buffer.clear();
        for (TrackerStore.Ticket t : group) {
            int start = buffer.position();
            ensure(HEADER);
            buffer.position(start + HEADER);
            encode(t.ops);
            int end = buffer.position();
            ByteBuffer payload = buffer.duplicate().position(start + HEADER).limit(end);
            crc.reset();
            crc.update(payload);
            buffer.putInt(start, end - start - HEADER).putInt(start + 4, (int) crc.getValue()).putLong(start + 8, t.sequence);
        }
        buffer.flip();
        long before = size;
        try {
            int length = buffer.remaining();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (force) {
                channel.force(false);
            }
            size = before + length;
        } catch (IOException | RuntimeException e) {
            try {
                channel.truncate(before);
                channel.position(before);
            } catch (IOException again) {
                e.addSuppressed(again);
                throw new IOException("tracker journal " + current + " is damaged and cannot be repaired: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** Reads every intact record of the given segments in order; a torn or corrupt tail ends a segment. */
    static void readAll(List<Path> segments, java.util.function.Consumer<Entry> sink) throws IOException {
        for (Path segment : segments) {
            byte[] all = Files.readAllBytes(segment);
            ByteBuffer b = ByteBuffer.wrap(all);
            while (b.remaining() >= HEADER) {
                int length = b.getInt();
                int crc = b.getInt();
                long sequence = b.getLong();
                if (length < 0 || length > b.remaining()) {
                    break;
                }
                CRC32 check = new CRC32();
                check.update(all, b.position(), length);
                if ((int) check.getValue() != crc) {
                    break;
                }
                List<TrackerStore.Op> ops;
                try {
                    ops = decode(java.util.Arrays.copyOfRange(all, b.position(), b.position() + length));
                } catch (IOException | RuntimeException e) {
                    break; // a CRC collision on garbage: treat as torn
                }
                b.position(b.position() + length);
                sink.accept(new Entry(sequence, ops));
            }
        }
    }

    /** Closes the current segment and starts the next; returns the closed one and all before it. */
    List<Path> rotate() throws IOException {
        Path closed = current;
        channel.close();
        openNext();
        List<Path> older = new ArrayList<>();
        for (Path p : segments(base)) {
            if (!p.equals(current)) {
                older.add(p);
            }
        }
        if (!older.contains(closed)) {
            older.add(closed);
        }
        return older;
    }

    /** Deletes segments whose changes are durable in the database. */
    static void delete(List<Path> segments) throws IOException {
        for (Path p : segments) {
            Files.deleteIfExists(p);
        }
    }

    /** Bytes in the current segment. */
    long size() {
        return size;
    }

    /** Closes the current segment, deleting it too when {@code empty} says nothing in it is needed. */
    void close(boolean delete) throws IOException {
        channel.close();
        if (delete) {
            Files.deleteIfExists(current);
        }
    }

    @Override
    public void close() throws IOException {
        close(false);
    }

    // ------------------------------------------------------------ encoding

    private static final byte PUT_PROJECT = 1;
    private static final byte PUT_PROJECT_ERROR = 2;
    private static final byte REMOVE_PROJECT = 3;
    private static final byte PUT_FRAME = 4;
    private static final byte APPEND_LOG = 5;
    private static final byte EVENT_COUNTER = 6;
    /*
     * Since the tracker took job ids of any farm, projects and frames are written with these codes: the
     * job id as a kind byte and a number or a string. Journals of older Tesseras (codes 1 and 4, a
     * whole-number job id) still read.
     */
    private static final byte PUT_PROJECT_JOB_ID = 7;
    private static final byte PUT_FRAME_JOB_ID = 8;
    private static final byte NUMBER_ID = 0;
    private static final byte TEXT_ID = 1;

    /** Grows the reused buffer so that {@code n} more bytes fit. */
    private void ensure(int n) {
        if (buffer.remaining() < n) {
            int need = buffer.position() + n;
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(need, buffer.capacity() * 2));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }

    /** Encodes one call's operations at the buffer's position (the format {@link #decode} reads). */
    private void encode(List<TrackerStore.Op> ops) {
        ensure(4);
        buffer.putInt(ops.size());
        for (TrackerStore.Op op : ops) {
            switch (op) {
                case TrackerStore.PutProject p -> {
                    ensure(1);
                    buffer.put(PUT_PROJECT_JOB_ID);
                    writeString(p.project().name());
                    ensure(1);
                    buffer.put((byte) (p.project().generateIfds() ? 1 : 0));
                    writeJobId(p.project().jobId());
                    ensure(8);
                    buffer.putLong(p.project().createdMs());
                    writeString(p.project().error());
                    ensure(4);
                    buffer.putInt(p.frames().size());
                    for (TrackedFrame.Row f : p.frames()) {
                        writeFrame(f);
                    }
                }
                case TrackerStore.PutProjectError pe -> {
                    ensure(1);
                    buffer.put(PUT_PROJECT_ERROR);
                    writeString(pe.project());
                    writeString(pe.error());
                }
                case TrackerStore.RemoveProject r -> {
                    ensure(1);
                    buffer.put(REMOVE_PROJECT);
                    writeString(r.project());
                }
                case TrackerStore.PutFrame f -> {
                    ensure(1);
                    buffer.put(PUT_FRAME_JOB_ID);
                    writeFrame(f.frame());
                }
                case TrackerStore.AppendLog l -> {
                    ensure(1);
                    buffer.put(APPEND_LOG);
                    writeString(l.project());
                    ensure(12);
                    buffer.putInt(l.frame());
                    buffer.putLong(l.timeMs());
                    writeString(l.message());
                }
                case TrackerStore.EventCounter c -> {
                    ensure(9);
                    buffer.put(EVENT_COUNTER);
                    buffer.putLong(c.value());
                }
            }
        }
    }

    private void writeFrame(TrackedFrame.Row f) {
        writeString(f.project());
        ensure(4 + 1 + 8 + 8);
        buffer.putInt(f.number());
        buffer.put((byte) f.status().ordinal());
        buffer.putDouble(f.renderFraction());
        buffer.putDouble(f.downloadFraction());
        writeJobId(f.jobId());
        writeString(f.imagePath());
        writeString(f.error());
        ensure(24);
        buffer.putLong(f.eventId());
        buffer.putLong(f.renderStartedMs());
        buffer.putLong(f.renderEndedMs());
    }

    private void writeJobId(JobId id) {
        if (id.kind() == JobId.Kind.TEXT) {
            ensure(1);
            buffer.put(TEXT_ID);
            writeString(id.text());
        } else {
            ensure(9);
            buffer.put(NUMBER_ID);
            buffer.putLong(id.number());
        }
    }

    private static JobId readJobId(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        return switch (kind) {
            case NUMBER_ID -> JobId.of(in.readLong());
            case TEXT_ID -> JobId.of(readString(in));
            default -> throw new IOException("unknown job id kind " + kind);
        };
    }

    /** Length-prefixed UTF-8 ({@code -1} for null), as {@link #readString} reads it. */
    private void writeString(String s) {
        if (s == null) {
            ensure(4);
            buffer.putInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(4 + b.length);
        buffer.putInt(b.length);
        buffer.put(b);
    }

    static List<TrackerStore.Op> decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int n = in.readInt();
        List<TrackerStore.Op> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte type = in.readByte();
            switch (type) {
                case PUT_PROJECT, PUT_PROJECT_JOB_ID -> {
                    boolean typed = type == PUT_PROJECT_JOB_ID;
                    TrackedProject.Row row = new TrackedProject.Row(readString(in), in.readBoolean(),
                            typed ? readJobId(in) : JobId.of(in.readLong()), in.readLong(), readString(in));
                    int frames = in.readInt();
                    List<TrackedFrame.Row> rows = new ArrayList<>(frames);
                    for (int f = 0; f < frames; f++) {
                        rows.add(readFrame(in, typed));
                    }
                    ops.add(new TrackerStore.PutProject(row, rows));
                }
                case PUT_PROJECT_ERROR -> ops.add(new TrackerStore.PutProjectError(readString(in), readString(in)));
                case REMOVE_PROJECT -> ops.add(new TrackerStore.RemoveProject(readString(in)));
                case PUT_FRAME -> ops.add(new TrackerStore.PutFrame(readFrame(in, false)));
                case PUT_FRAME_JOB_ID -> ops.add(new TrackerStore.PutFrame(readFrame(in, true)));
                case APPEND_LOG -> ops.add(new TrackerStore.AppendLog(readString(in), in.readInt(), in.readLong(),
                        readString(in)));
                case EVENT_COUNTER -> ops.add(new TrackerStore.EventCounter(in.readLong()));
                default -> throw new IOException("unknown journal operation " + type);
            }
        }
        return ops;
    }

    private static TrackedFrame.Row readFrame(DataInputStream in, boolean typedJobId) throws IOException {
        return new TrackedFrame.Row(readString(in), in.readInt(), FrameStatus.ofIndex(in.readByte()), in.readDouble(),
                in.readDouble(), typedJobId ? readJobId(in) : JobId.of(in.readLong()), readString(in), readString(in),
                in.readLong(), in.readLong(), in.readLong());
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
