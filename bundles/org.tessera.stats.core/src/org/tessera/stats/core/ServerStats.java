// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;

import org.tessera.internal.stats.core.StatsContainer;

/**
 * The server stats file ({@code _rrGlobalStatsLS}, {@code server_stats.db}): three rings of
 * {@link ServerStatsItem}s. Times are <em>local</em> seconds since 1970-01-01T00:00 (the wall clock
 * read as if it were UTC), as the seed's {@code currentLocalTime()}.
 * <ul>
 * <li><b>day</b>: {@link #DAY_MAX} slots of 90 s, indexed by time of day: index {@code i} covers
 * {@code [i*90, i*90+90)} seconds after midnight. The ring is overwritten in place, so an index later
 * than now holds yesterday: at 18:00 the 17:00 slot is one hour old, the 19:00 slot 23 hours old.
 * {@code lastSaveDay} = local time / 90 of the newest slot written.</li>
 * <li><b>month</b>: {@link #MONTH_MAX} slots of 30 min, shifted: each save pushes every slot down one
 * and puts the last completed 30 minutes at index {@code monthMax()-1} (959). {@code lastSaveMonth} =
 * local time / 1800 of that save, so slot 959 covers {@code [(lastSaveMonth-1)*1800, lastSaveMonth*1800)}.</li>
 * <li><b>year</b>: {@link #YEAR_MAX} slots of 6 h, shifted the same way; slot 1439 is the last
 * completed quarter day; {@code lastSaveYear} = local time / 21600.</li>
 * </ul>
 * Instances from {@link #load(Path)} are read-only views over the memory-mapped file: loading checks
 * the whole file but allocates nothing per slot; {@link #create()} makes a writable one.
 */
public final class ServerStats {
    /** Slots in the day ring: 24 h / 90 s. */
    public static final int DAY_MAX = 960;
    /** Slots in the month ring: 20 days of 30 min. */
    public static final int MONTH_MAX = 960;
    /** Slots in the year ring: 360 days of 6 h. */
    public static final int YEAR_MAX = 1440;
    public static final int DAY_SECONDS = 90;
    public static final int MONTH_SECONDS = 1800;
    public static final int YEAR_SECONDS = 21600;
    static final int PAYLOAD_HEADER = 32;

    /** The three rings. */
    public enum Ring {
        DAY(DAY_SECONDS), MONTH(MONTH_SECONDS), YEAR(YEAR_SECONDS);

        private final int seconds;

        Ring(int seconds) {
            this.seconds = seconds;
        }

        /** Seconds one slot covers. */
        public int slotSeconds() {
            return seconds;
        }
    }

    private final ByteBuffer payload;
    private final int[] max = new int[3];
    private final int[] offset = new int[3];

    private ServerStats(ByteBuffer payload) {
        this.payload = payload;
        int off = PAYLOAD_HEADER;
        for (int i = 0; i < 3; i++) {
            max[i] = payload.getShort(24 + 2 * i) & 0xFFFF;
            offset[i] = off;
            off += max[i] * ServerStatsItem.SIZE;
        }
    }

    /** A writable, empty file with the standard ring sizes. */
    public static ServerStats create() {
        return create(DAY_MAX, MONTH_MAX, YEAR_MAX);
    }

    /** A writable, empty file with the given ring sizes (1..65535 each). */
    public static ServerStats create(int dayMax, int monthMax, int yearMax) {
        for (int m : new int[] { dayMax, monthMax, yearMax }) {
            if (m < 1 || m > 0xFFFF) {
                throw new IllegalArgumentException("ring size " + m + " outside 1..65535");
            }
        }
        ByteBuffer b = ByteBuffer.allocate(PAYLOAD_HEADER + (dayMax + monthMax + yearMax) * ServerStatsItem.SIZE)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(24, (short) dayMax).putShort(26, (short) monthMax).putShort(28, (short) yearMax)
                .putShort(30, (short) ServerStatsItem.SIZE);
        return new ServerStats(b);
    }

    /** Loads and checks a file; the result is a read-only view over the mapped bytes. */
    public static ServerStats load(Path file) throws StatsFormatException {
        return decode(StatsContainer.load(file, StatsKind.SERVER), file.toString());
    }

    /** Checks a payload (the bytes after the header) and returns a read-only view over it. */
    public static ServerStats decode(ByteBuffer payload, String source) throws StatsFormatException {
        ByteBuffer p = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (p.limit() < PAYLOAD_HEADER) {
            throw new StatsFormatException(StatsFormatException.Reason.TRUNCATED,
                    source + ": server stats payload of " + p.limit() + " bytes is shorter than its 32-byte header");
        }
        long total = PAYLOAD_HEADER;
        for (int i = 0; i < 3; i++) {
            int m = p.getShort(24 + 2 * i) & 0xFFFF;
            if (m == 0) {
                throw new StatsFormatException(StatsFormatException.Reason.BAD_COUNT,
                        source + ": ring " + Ring.values()[i] + " has 0 slots");
            }
            total += (long) m * ServerStatsItem.SIZE;
        }
        int itemSize = p.getShort(30) & 0xFFFF;
        if (itemSize != ServerStatsItem.SIZE) {
            throw new StatsFormatException(StatsFormatException.Reason.BAD_VALUE, source + ": slot size " + itemSize
                    + " is not " + ServerStatsItem.SIZE + " as format version 1 defines");
        }
        if (total != p.limit()) {
            throw new StatsFormatException(
                    total > p.limit() ? StatsFormatException.Reason.TRUNCATED : StatsFormatException.Reason.TRAILING_DATA,
                    source + ": ring sizes need " + total + " payload bytes but there are " + p.limit());
        }
        return new ServerStats(p.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }

    /** A writable copy (heap memory) of this file. */
    public ServerStats copy() {
        return new ServerStats(StatsContainer.heapCopy(payload));
    }

    public long lastSaveDay() {
        return payload.getLong(0);
    }

    public long lastSaveMonth() {
        return payload.getLong(8);
    }

    public long lastSaveYear() {
        return payload.getLong(16);
    }

    public void setLastSave(long day, long month, long year) {
        payload.putLong(0, day).putLong(8, month).putLong(16, year);
    }

    /** Number of slots of a ring. */
    public int max(Ring ring) {
        return max[ring.ordinal()];
    }

    public int dayMax() {
        return max(Ring.DAY);
    }

    public int monthMax() {
        return max(Ring.MONTH);
    }

    public int yearMax() {
        return max(Ring.YEAR);
    }

    public ServerStatsItem day(int idx) {
        return item(Ring.DAY, idx);
    }

    public ServerStatsItem month(int idx) {
        return item(Ring.MONTH, idx);
    }

    public ServerStatsItem year(int idx) {
        return item(Ring.YEAR, idx);
    }

    private int at(Ring ring, int idx) {
        int r = ring.ordinal();
        if (idx < 0 || idx >= max[r]) {
            throw new IndexOutOfBoundsException(ring + " index " + idx + " outside 0.." + (max[r] - 1));
        }
        return offset[r] + idx * ServerStatsItem.SIZE;
    }

    /** The slot {@code idx} of a ring. */
    public ServerStatsItem item(Ring ring, int idx) {
        int o = at(ring, idx);
        ByteBuffer b = payload;
        return new ServerStatsItem(b.get(o + 78) != 0, b.getFloat(o), b.getFloat(o + 4), u32(b, o + 8), u32(b, o + 12),
                u32(b, o + 16), u16(b, o + 64), u16(b, o + 66), u16(b, o + 68), u16(b, o + 70), u16(b, o + 72),
                u16(b, o + 74), u16(b, o + 76), u32(b, o + 20), u32(b, o + 24), u32(b, o + 28), u32(b, o + 32),
                u32(b, o + 36), u32(b, o + 40), u32(b, o + 44), u32(b, o + 48), u32(b, o + 52), u32(b, o + 56),
                u32(b, o + 60));
    }

    /** Frames left in a slot without building the record (for scans). */
    public long framesLeft(Ring ring, int idx) {
        return u32(payload, at(ring, idx) + 60);
    }

    /** Whether a slot is used, without building the record. */
    public boolean slotUsed(Ring ring, int idx) {
        return payload.get(at(ring, idx) + 78) != 0;
    }

    /** Stores a slot. */
    public void set(Ring ring, int idx, ServerStatsItem s) {
        int o = at(ring, idx);
        check(s);
        payload.putFloat(o, s.clientsNeeded()).putFloat(o + 4, s.framesPerMin()).putInt(o + 8, (int) s.framesPerMin3D())
                .putInt(o + 12, (int) s.framesPerMinComp()).putInt(o + 16, (int) s.framesPerMinArchive())
                .putInt(o + 20, (int) s.jobsUnfinished()).putInt(o + 24, (int) s.jobsRendering())
                .putInt(o + 28, (int) s.jobsTotal()).putInt(o + 32, (int) s.serverMemUsageMachine())
                .putInt(o + 36, (int) s.serverMemUsageProcess()).putInt(o + 40, (int) s.serverMemUsageTcpSocket())
                .putInt(o + 44, (int) s.serverMemUsageTcpData()).putInt(o + 48, (int) s.serverMemUsageJobBuffer())
                .putInt(o + 52, (int) s.serverMemUsageTcpDataCompressed()).putInt(o + 56, (int) s.frameTime())
                .putInt(o + 60, (int) s.framesLeft()).putShort(o + 64, (short) s.clientsFree())
                .putShort(o + 66, (short) s.clientsRendering()).putShort(o + 68, (short) s.clientsDisabled())
                .putShort(o + 70, (short) s.cpuProcess()).putShort(o + 72, (short) s.cpuMachine())
                .putShort(o + 74, (short) s.serverTemperature()).putShort(o + 76, (short) s.clientsAvTemperature())
                .put(o + 78, (byte) (s.slotUsed() ? 1 : 0)).put(o + 79, (byte) 0);
    }

    /** Pushes every slot of a shifting ring down one and stores {@code newest} at the last index. */
    public void push(Ring ring, ServerStatsItem newest) {
        int r = ring.ordinal();
        ByteBuffer src = payload.duplicate().position(offset[r] + ServerStatsItem.SIZE)
                .limit(offset[r] + max[r] * ServerStatsItem.SIZE);
        payload.duplicate().position(offset[r]).put(src);
        set(ring, max[r] - 1, newest);
    }

    // ---- index rules -------------------------------------------------------------------------

    /** Day-ring index for a local time in seconds: the 90-second slot of the time of day. */
    public int dayIndexOf(long localSeconds) {
        return (int) Math.floorMod(Math.floorDiv(localSeconds, DAY_SECONDS), (long) dayMax());
    }

    /**
     * Local start time (seconds) of day-ring slot {@code idx}: the latest occurrence not after
     * {@code lastSaveDay}, so indexes after the last save are from the day before.
     */
    public long daySlotStart(int idx) {
        at(Ring.DAY, idx);
        long last = lastSaveDay();
        long back = Math.floorMod(Math.floorMod(last, (long) dayMax()) - idx, (long) dayMax());
        return (last - back) * DAY_SECONDS;
    }

    /** Local start time (seconds) of slot {@code idx} of the month or year ring. */
    public long slotStart(Ring ring, int idx) {
        if (ring == Ring.DAY) {
            return daySlotStart(idx);
        }
        at(ring, idx);
        long last = ring == Ring.MONTH ? lastSaveMonth() : lastSaveYear();
        return (last - (max(ring) - idx)) * ring.slotSeconds();
    }

    /**
     * The slot holding local time {@code localSeconds}, if the ring still holds it and it is used:
     * for the day ring the last {@code dayMax} slots up to {@code lastSaveDay}; for the others the
     * slots before {@code lastSave}.
     */
    public Optional<ServerStatsItem> at(Ring ring, long localSeconds) {
        long slot = Math.floorDiv(localSeconds, ring.slotSeconds());
        int idx;
        if (ring == Ring.DAY) {
            long last = lastSaveDay();
            if (slot > last || slot <= last - dayMax()) {
                return Optional.empty();
            }
            idx = (int) Math.floorMod(slot, (long) dayMax());
        } else {
            long last = ring == Ring.MONTH ? lastSaveMonth() : lastSaveYear();
            long i = max(ring) - (last - slot);
            if (slot >= last || i < 0) {
                return Optional.empty();
            }
            idx = (int) i;
        }
        ServerStatsItem item = item(ring, idx);
        return item.slotUsed() ? Optional.of(item) : Optional.empty();
    }

    /** The seed's {@code currentLocalTime()}: now, local wall clock, in seconds since 1970 as if UTC. */
    public static long currentLocalTime() {
        return java.time.LocalDateTime.now().toEpochSecond(java.time.ZoneOffset.UTC);
    }

    /** The payload bytes. */
    public ByteBuffer encode() {
        return payload.duplicate().position(0).limit(payload.limit());
    }

    /** Writes the file atomically. */
    public void write(Path file) throws IOException {
        StatsContainer.write(file, StatsKind.SERVER, encode());
    }

    private static long u32(ByteBuffer b, int o) {
        return b.getInt(o) & 0xFFFF_FFFFL;
    }

    private static int u16(ByteBuffer b, int o) {
        return b.getShort(o) & 0xFFFF;
    }

    private static void check(ServerStatsItem s) {
        long[] u32s = { s.framesPerMin3D(), s.framesPerMinComp(), s.framesPerMinArchive(), s.jobsUnfinished(),
                s.jobsRendering(), s.jobsTotal(), s.serverMemUsageMachine(), s.serverMemUsageProcess(),
                s.serverMemUsageTcpSocket(), s.serverMemUsageTcpData(), s.serverMemUsageJobBuffer(),
                s.serverMemUsageTcpDataCompressed(), s.frameTime(), s.framesLeft() };
        for (long v : u32s) {
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("UInt32 field " + v + " out of range in " + s);
            }
        }
        int[] u16s = { s.clientsFree(), s.clientsRendering(), s.clientsDisabled(), s.cpuProcess(), s.cpuMachine(),
                s.serverTemperature(), s.clientsAvTemperature() };
        for (int v : u16s) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("UInt16 field " + v + " out of range in " + s);
            }
        }
    }
}
