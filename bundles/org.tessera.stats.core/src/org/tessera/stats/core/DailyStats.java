// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;

import org.tessera.internal.stats.core.DailyStatsCodec;
import org.tessera.internal.stats.core.StatsContainer;

/**
 * One day of job stats ({@code _dailyStats_data}): for each user, project and render app, 96 slots of
 * 15 minutes. One file per day.
 *
 * @param day the local date the file covers
 * @param users list 0
 * @param projects list 1
 * @param apps list 2 (render applications)
 */
public record DailyStats(LocalDate day, List<JobStatDay> users, List<JobStatDay> projects, List<JobStatDay> apps) {
    public static final int USERS = 0;
    public static final int PROJECTS = 1;
    public static final int APPS = 2;
    /** Slots per day: 24 h / 15 min. */
    public static final int SLOTS = 96;
    /** Minutes per slot. */
    public static final int SLOT_MINUTES = 15;

    public DailyStats {
        users = List.copyOf(users);
        projects = List.copyOf(projects);
        apps = List.copyOf(apps);
    }

    /** The list of type {@code id}: 0 users, 1 projects, 2 render apps. */
    public List<JobStatDay> getJobsByType(int id) {
        return switch (id) {
            case USERS -> users;
            case PROJECTS -> projects;
            case APPS -> apps;
            default -> throw new IllegalArgumentException("job type " + id + " is not 0 (user), 1 (project) or 2 (app)");
        };
    }

    /** Number of lists: 3. */
    public int jobTypeCount() {
        return 3;
    }

    /** The slot index for a time of day: 0 for 00:00-00:15, 95 for 23:45-24:00. */
    public static int slotIndexOf(LocalTime time) {
        return (time.getHour() * 60 + time.getMinute()) / SLOT_MINUTES;
    }

    /** Start of slot {@code idx} on this file's day. */
    public LocalDateTime slotStart(int idx) {
        return day.atStartOfDay().plusMinutes((long) idx * SLOT_MINUTES);
    }

    /** Decodes a daily stats file (memory-mapped, fully checked). */
    public static DailyStats load(Path file) throws StatsFormatException {
        return DailyStatsCodec.decode(StatsContainer.load(file, StatsKind.DAILY), file.toString());
    }

    /** Decodes a payload (the bytes after the header), e.g. from a fuzzer. */
    public static DailyStats decode(ByteBuffer payload, String source) throws StatsFormatException {
        return DailyStatsCodec.decode(payload, source);
    }

    /** The payload bytes of this day. */
    public ByteBuffer encode() {
        return DailyStatsCodec.encode(this);
    }

    /** Writes this day atomically. */
    public void write(Path file) throws IOException {
        StatsContainer.write(file, StatsKind.DAILY, encode());
    }
}
