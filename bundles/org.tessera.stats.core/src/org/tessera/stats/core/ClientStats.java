// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.tessera.internal.stats.core.Percent;
import org.tessera.internal.stats.core.StatsContainer;

/**
 * One render node's stats ({@code _rrClientStats_data}): {@link #DAYS_MAX} days, each with
 * {@link #SLOTS_PER_DAY} slots of 30 s (per job thread) and 24 hourly slots (per job thread).
 * {@code days(daysMax()-1)} is the last day written (today while the node runs), {@code daysMax()-2}
 * the day before; check {@link #daySet(int)} and {@link #day(int)} (days since 1970-01-01).
 * <p>
 * Loaded instances are read-only views over the memory-mapped file: loading checks every count in
 * one pass without allocating per slot; {@link #create(int)} makes a writable one.
 */
public final class ClientStats {
    public static final int STRUCTURE_ID = 0xA101;
    public static final int DAYS_MAX = 180;
    public static final int SLOTS_PER_DAY = 2880;
    public static final int HOURS_PER_DAY = 24;
    /** Job threads per slot that Tessera's recorder reserves room for. */
    public static final int DEFAULT_MAX_JOB_THREADS = 4;
    static final int HEADER = 12;
    static final int DAY_HEADER = 8;
    static final int SLOT_HEADER = 16;
    static final int THREAD_SIZE = 10;
    static final int HOUR_HEADER = 2;
    static final int HOUR_THREAD_SIZE = 6;

    private final ByteBuffer payload;
    private final int daysMax;
    private final int slotsPerDay;
    private final int hoursPerDay;
    private final int maxThreads;
    private final int slotSize;
    private final int hourSize;
    private final int daySize;

    private ClientStats(ByteBuffer payload) {
        this.payload = payload;
        daysMax = payload.getShort(4) & 0xFFFF;
        slotsPerDay = payload.getShort(6) & 0xFFFF;
        hoursPerDay = payload.getShort(8) & 0xFFFF;
        maxThreads = payload.get(10) & 0xFF;
        slotSize = SLOT_HEADER + THREAD_SIZE * maxThreads;
        hourSize = HOUR_HEADER + HOUR_THREAD_SIZE * maxThreads;
        daySize = DAY_HEADER + slotsPerDay * slotSize + hoursPerDay * hourSize;
    }

    /** A writable, empty file with 180 days of 2880 slots and {@code maxJobThreads} threads per slot. */
    public static ClientStats create(int maxJobThreads) {
        return create(DAYS_MAX, SLOTS_PER_DAY, maxJobThreads);
    }

    public static ClientStats create(int daysMax, int slotsPerDay, int maxJobThreads) {
        if (daysMax < 1 || daysMax > 0xFFFF || slotsPerDay < 1 || slotsPerDay > 86400 || 86400 % slotsPerDay != 0
                || maxJobThreads < 1 || maxJobThreads > 64) {
            throw new IllegalArgumentException("bad client stats shape " + daysMax + "/" + slotsPerDay + "/" + maxJobThreads);
        }
        long size = size(daysMax, slotsPerDay, HOURS_PER_DAY, maxJobThreads);
        if (size > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("client stats of " + size + " bytes do not fit in one file");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, STRUCTURE_ID).putShort(4, (short) daysMax).putShort(6, (short) slotsPerDay)
                .putShort(8, (short) HOURS_PER_DAY).put(10, (byte) maxJobThreads);
        return new ClientStats(b);
    }

    static long size(long days, long slots, long hours, long threads) {
        return HEADER + days * (DAY_HEADER + slots * (SLOT_HEADER + THREAD_SIZE * threads)
                + hours * (HOUR_HEADER + HOUR_THREAD_SIZE * threads));
    }

    public static ClientStats load(Path file) throws StatsFormatException {
        return decode(StatsContainer.load(file, StatsKind.CLIENT), file.toString());
    }

    /** Checks a payload in one pass (sizes, thread counts) and returns a read-only view over it. */
    public static ClientStats decode(ByteBuffer payload, String source) throws StatsFormatException {
        ByteBuffer p = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (p.limit() < HEADER) {
            throw new StatsFormatException(StatsFormatException.Reason.TRUNCATED,
                    source + ": client stats payload of " + p.limit() + " bytes is shorter than its 12-byte header");
        }
        int id = p.getInt(0);
        if (id != STRUCTURE_ID) {
            throw new StatsFormatException(StatsFormatException.Reason.BAD_VALUE, source + ": StructureID 0x"
                    + Integer.toHexString(id).toUpperCase() + " is not 0xA101");
        }
        int days = p.getShort(4) & 0xFFFF;
        int slots = p.getShort(6) & 0xFFFF;
        int hours = p.getShort(8) & 0xFFFF;
        int threads = p.get(10) & 0xFF;
        if (days < 1 || slots < 1 || 86400 % slots != 0 || hours < 1 || hours > 1440 || threads < 1 || threads > 64) {
            throw new StatsFormatException(StatsFormatException.Reason.BAD_COUNT, source + ": shape days=" + days
                    + " slots=" + slots + " hours=" + hours + " threads=" + threads
                    + " is outside what the format allows (days>=1, slots dividing 86400, hours 1..1440, threads 1..64)");
        }
        long size = size(days, slots, hours, threads);
        if (size != p.limit()) {
            throw new StatsFormatException(
                    size > p.limit() ? StatsFormatException.Reason.TRUNCATED : StatsFormatException.Reason.TRAILING_DATA,
                    source + ": " + days + " days x " + slots + " slots x " + threads + " threads need " + size
                            + " payload bytes but there are " + p.limit());
        }
        ClientStats s = new ClientStats(p.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
        s.checkCounts(source);
        return s;
    }

    private void checkCounts(String source) throws StatsFormatException {
        for (int d = 0; d < daysMax; d++) {
            int base = dayOffset(d);
            int slot = base + DAY_HEADER + 2;
            for (int i = 0; i < slotsPerDay; i++, slot += slotSize) {
                if ((payload.get(slot) & 0xFF) > maxThreads) {
                    throw new StatsFormatException(StatsFormatException.Reason.BAD_COUNT, source + ": day " + d + " slot "
                            + i + " claims " + (payload.get(slot) & 0xFF) + " job threads, at most " + maxThreads + " fit");
                }
            }
            int hour = base + DAY_HEADER + slotsPerDay * slotSize;
            for (int h = 0; h < hoursPerDay; h++, hour += hourSize) {
                if ((payload.get(hour) & 0xFF) > maxThreads) {
                    throw new StatsFormatException(StatsFormatException.Reason.BAD_COUNT, source + ": day " + d + " hour "
                            + h + " claims " + (payload.get(hour) & 0xFF) + " job threads, at most " + maxThreads + " fit");
                }
            }
        }
    }

    /** A writable heap copy of this file. */
    public ClientStats copy() {
        return new ClientStats(StatsContainer.heapCopy(payload));
    }

    public int structureId() {
        return payload.getInt(0);
    }

    public int daysMax() {
        return daysMax;
    }

    public int dataMax() {
        return slotsPerDay;
    }

    public int dataHourlyMax() {
        return hoursPerDay;
    }

    public int maxJobThreads() {
        return maxThreads;
    }

    /** Seconds one slot covers (30). */
    public int slotSeconds() {
        return 86400 / slotsPerDay;
    }

    private int dayOffset(int d) {
        if (d < 0 || d >= daysMax) {
            throw new IndexOutOfBoundsException("day index " + d + " outside 0.." + (daysMax - 1));
        }
        return HEADER + d * daySize;
    }

    private int slotOffset(int d, int i) {
        if (i < 0 || i >= slotsPerDay) {
            throw new IndexOutOfBoundsException("slot index " + i + " outside 0.." + (slotsPerDay - 1));
        }
        return dayOffset(d) + DAY_HEADER + i * slotSize;
    }

    private int hourOffset(int d, int h) {
        if (h < 0 || h >= hoursPerDay) {
            throw new IndexOutOfBoundsException("hour index " + h + " outside 0.." + (hoursPerDay - 1));
        }
        return dayOffset(d) + DAY_HEADER + slotsPerDay * slotSize + h * hourSize;
    }

    /** Whether day {@code d} holds useful data. */
    public boolean daySet(int d) {
        return payload.get(dayOffset(d)) != 0;
    }

    /** Day {@code d} in days since 1970-01-01. */
    public long day(int d) {
        return payload.getInt(dayOffset(d) + 4) & 0xFFFF_FFFFL;
    }

    public void setDay(int d, boolean set, long epochDay) {
        if (epochDay < 0 || epochDay > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("day " + epochDay + " is not a UInt32 day number");
        }
        payload.put(dayOffset(d), (byte) (set ? 1 : 0)).putInt(dayOffset(d) + 4, (int) epochDay);
    }

    /** The day index holding {@code epochDay}, counted back from the last day; -1 when outside the file. */
    public int dayIndexOf(long epochDay) {
        long back = day(daysMax - 1) - epochDay;
        return back < 0 || back >= daysMax ? -1 : (int) (daysMax - 1 - back);
    }

    /** Slot index of a second of the day (30-second slots: 0 = 00:00:00-00:00:30). */
    public int slotIndexOf(int secondOfDay) {
        return secondOfDay / slotSeconds();
    }

    /** Slot {@code i} of day {@code d}. */
    public ClientSlot data(int d, int i) {
        int o = slotOffset(d, i);
        ByteBuffer b = payload;
        int n = b.get(o + 2) & 0xFF;
        List<JobThreadSample> threads = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            int to = o + SLOT_HEADER + t * THREAD_SIZE;
            threads.add(new JobThreadSample(b.get(to) & 0xFF, pct(b, to + 2), b.getShort(to + 4) & 0xFFFF,
                    b.getInt(to + 6) & 0xFFFF_FFFFL));
        }
        return new ClientSlot(b.get(o) != 0, b.get(o + 1) != 0, pct(b, o + 4), pct(b, o + 6), b.getShort(o + 8) & 0xFFFF,
                b.getShort(o + 10), b.getShort(o + 12), b.get(o + 3) & 0xFF, threads);
    }

    /** Whether slot {@code i} of day {@code d} was set (no allocation). */
    public boolean hasData(int d, int i) {
        return payload.get(slotOffset(d, i)) != 0;
    }

    /** CPU use of slot {@code i} of day {@code d}, 1.0 = 100 % (no allocation). */
    public float cpuTotal(int d, int i) {
        return pct(payload, slotOffset(d, i) + 4);
    }

    public void setData(int d, int i, ClientSlot s) {
        if (s.jobThreadCount() > maxThreads) {
            throw new IllegalArgumentException(s.jobThreadCount() + " job threads; this file holds " + maxThreads);
        }
        int o = slotOffset(d, i);
        payload.put(o, (byte) (s.hasData() ? 1 : 0)).put(o + 1, (byte) (s.userLoggedIn() ? 1 : 0))
                .put(o + 2, (byte) s.jobThreadCount()).put(o + 3, u8(s.networkInSpeedMaxMB()))
                .putShort(o + 4, toPct(s.cpuTotal())).putShort(o + 6, toPct(s.gpuTotal()))
                .putShort(o + 8, u16(s.memTotal10MB())).putShort(o + 10, i16(s.networkInMB()))
                .putShort(o + 12, i16(s.networkOutMB())).putShort(o + 14, (short) 0);
        for (int t = 0; t < maxThreads; t++) {
            int to = o + SLOT_HEADER + t * THREAD_SIZE;
            JobThreadSample j = t < s.jobThreadCount() ? s.jobThreads().get(t) : new JobThreadSample(0, 0, 0, 0);
            if (j.jobIDShort() < 0 || j.jobIDShort() > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("jobIDShort " + j.jobIDShort() + " is not a UInt32");
            }
            payload.put(to, u8(j.status())).put(to + 1, (byte) 0).putShort(to + 2, toPct(j.cpuRender()))
                    .putShort(to + 4, u16(j.memRender10MB())).putInt(to + 6, (int) j.jobIDShort());
        }
    }

    /** Hour {@code h} of day {@code d}: one entry per job thread. */
    public List<HourlyJobThread> dataHourly(int d, int h) {
        int o = hourOffset(d, h);
        int n = payload.get(o) & 0xFF;
        List<HourlyJobThread> list = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            int to = o + HOUR_HEADER + t * HOUR_THREAD_SIZE;
            list.add(new HourlyJobThread(payload.getShort(to) & 0xFFFF, payload.get(to + 2) & 0xFF,
                    payload.get(to + 3) & 0xFF, payload.get(to + 4) & 0xFF));
        }
        return list;
    }

    public void setDataHourly(int d, int h, List<HourlyJobThread> threads) {
        if (threads.size() > maxThreads) {
            throw new IllegalArgumentException(threads.size() + " job threads; this file holds " + maxThreads);
        }
        int o = hourOffset(d, h);
        payload.put(o, (byte) threads.size()).put(o + 1, (byte) 0);
        for (int t = 0; t < maxThreads; t++) {
            int to = o + HOUR_HEADER + t * HOUR_THREAD_SIZE;
            HourlyJobThread j = t < threads.size() ? threads.get(t) : new HourlyJobThread(0, 0, 0, 0);
            payload.putShort(to, u16(j.framesDone())).put(to + 2, u8(j.jobCrashed())).put(to + 3, u8(j.jobAborted()))
                    .put(to + 4, u8(j.jobSuccessful())).put(to + 5, (byte) 0);
        }
    }

    /** Moves every day {@code n} places towards index 0 and clears the freed last days (a new day begins). */
    public void shiftDays(int n) {
        if (n <= 0) {
            return;
        }
        int keep = Math.max(0, daysMax - n);
        if (keep > 0) {
            ByteBuffer src = payload.duplicate().position(HEADER + (daysMax - keep) * daySize)
                    .limit(HEADER + daysMax * daySize);
            payload.duplicate().position(HEADER).put(src);
        }
        for (int p = HEADER + keep * daySize; p < HEADER + daysMax * daySize; p++) {
            payload.put(p, (byte) 0);
        }
    }

    public ByteBuffer encode() {
        return payload.duplicate().position(0).limit(payload.limit());
    }

    public void write(Path file) throws IOException {
        StatsContainer.write(file, StatsKind.CLIENT, encode());
    }

    private static float pct(ByteBuffer b, int o) {
        return (b.getShort(o) & 0xFFFF) / 10000f;
    }

    private static short toPct(float f) {
        return (short) Percent.encode(f);
    }

    private static byte u8(int v) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException("UInt8 " + v + " out of range");
        }
        return (byte) v;
    }

    private static short u16(int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException("UInt16 " + v + " out of range");
        }
        return (short) v;
    }

    private static short i16(int v) {
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
            throw new IllegalArgumentException("Int16 " + v + " out of range");
        }
        return (short) v;
    }
}
