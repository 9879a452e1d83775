// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.JobStat;
import org.tessera.stats.core.JobStatDay;
import org.tessera.stats.core.StatsFormatException;

/** Byte layout of {@link DailyStats}; see docs/stats-format.md. */
public final class DailyStatsCodec {
    static final int MAX_NAME_BYTES = 1024;
    private static final int MAX_EPOCH_DAY = 3_000_000;

    private DailyStatsCodec() {
    }

    public static DailyStats decode(ByteBuffer payload, String source) throws StatsFormatException {
        BinaryReader r = new BinaryReader(payload, source);
        int epochDay = r.i32("day");
        if (epochDay < -MAX_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
            throw r.bad("day " + epochDay + " is not a plausible date");
        }
        int slots = r.u16("slot count");
        if (slots < 1 || slots > 1440 || 1440 % slots != 0) {
            throw new StatsFormatException(StatsFormatException.Reason.BAD_COUNT, source + ": slot count " + slots
                    + " must divide a day of 1440 minutes (96 for 15-minute slots)");
        }
        int lists = r.u16("list count");
        if (lists != 3) {
            throw new StatsFormatException(StatsFormatException.Reason.BAD_COUNT, source + ": list count " + lists
                    + " must be 3 (users, projects, render apps)");
        }
        List<List<JobStatDay>> all = new ArrayList<>(3);
        for (int type = 0; type < 3; type++) {
            int count = r.count(r.u32("entry count"), 1_000_000, 4L + (long) slots * JobStat.SIZE, "entry count of list " + type);
            List<JobStatDay> entries = new ArrayList<>(count);
            for (int e = 0; e < count; e++) {
                int t = r.u8("entry type");
                if (t != type) {
                    throw r.bad("entry " + e + " of list " + type + " says it is of type " + t);
                }
                r.skip(1, "reserved");
                String name = r.str16(MAX_NAME_BYTES, "entry name");
                r.need((long) slots * JobStat.SIZE, "slots of " + name);
                JobStat[] s = new JobStat[slots];
                for (int i = 0; i < slots; i++) {
                    s[i] = readSlot(r);
                }
                entries.add(new JobStatDay(name, type, List.of(s)));
            }
            all.add(entries);
        }
        if (r.remaining() != 0) {
            throw new StatsFormatException(StatsFormatException.Reason.TRAILING_DATA,
                    source + ": " + r.remaining() + " unexpected bytes after the last list");
        }
        return new DailyStats(LocalDate.ofEpochDay(epochDay), all.get(0), all.get(1), all.get(2));
    }

    private static JobStat readSlot(BinaryReader r) throws StatsFormatException {
        float av = r.f32("avPSUsage");
        float max = r.f32("maxPSUsage");
        float need = r.f32("PSneeded");
        float lic = r.f32("renderLicNeeded");
        long avMem = r.u32("avMemUsageMB");
        long maxMem = r.u32("maxMemUsageMB");
        long avFt = r.u32("avFrameTime");
        long maxFt = r.u32("maxFrameTime");
        long rendered = r.u32("framesRendered");
        long left = r.u32("framesLeft");
        int waiting = r.u16("jobsWaiting");
        int disabled = r.u16("jobsDisabled");
        int idle = r.u16("jobsIdle");
        int rendering = r.u16("jobsRendering");
        int done = r.u16("jobsDone");
        int sended = r.u16("timesSended");
        int finished = r.u16("timesFinished");
        boolean set = r.bool("slotSet");
        r.skip(1, "reserved");
        return new JobStat(set, av, max, need, lic, waiting, disabled, idle, rendering, done, sended, finished, avMem,
                maxMem, avFt, maxFt, rendered, left);
    }

    public static ByteBuffer encode(DailyStats d) {
        int slots = -1;
        for (int type = 0; type < 3; type++) {
            for (JobStatDay e : d.getJobsByType(type)) {
                if (slots < 0) {
                    slots = e.timeSlotCount();
                } else if (slots != e.timeSlotCount()) {
                    throw new IllegalArgumentException("every entry of a day needs the same slot count");
                }
            }
        }
        if (slots < 0) {
            slots = DailyStats.SLOTS;
        }
        BinaryWriter w = new BinaryWriter(8 + 1024 * JobStat.SIZE);
        w.i32((int) d.day().toEpochDay()).u16(slots, "slot count").u16(3, "list count");
        for (int type = 0; type < 3; type++) {
            List<JobStatDay> entries = d.getJobsByType(type);
            w.u32(entries.size(), "entry count");
            for (JobStatDay e : entries) {
                if (e.type() != type) {
                    throw new IllegalArgumentException(e.name() + " has type " + e.type() + " but is in list " + type);
                }
                w.u8(type, "type").zeros(1).str16(e.name(), MAX_NAME_BYTES, "name");
                for (JobStat s : e.slots()) {
                    w.f32(s.avPSUsage()).f32(s.maxPSUsage()).f32(s.psNeeded()).f32(s.renderLicNeeded())
                            .u32(s.avMemUsageMB(), "avMemUsageMB").u32(s.maxMemUsageMB(), "maxMemUsageMB")
                            .u32(s.avFrameTime(), "avFrameTime").u32(s.maxFrameTime(), "maxFrameTime")
                            .u32(s.framesRendered(), "framesRendered").u32(s.framesLeft(), "framesLeft")
                            .u16(s.jobsWaiting(), "jobsWaiting").u16(s.jobsDisabled(), "jobsDisabled")
                            .u16(s.jobsIdle(), "jobsIdle").u16(s.jobsRendering(), "jobsRendering")
                            .u16(s.jobsDone(), "jobsDone").u16(s.timesSended(), "timesSended")
                            .u16(s.timesFinished(), "timesFinished").bool(s.slotSet()).zeros(1);
                }
            }
        }
        return w.toBuffer();
    }
}
