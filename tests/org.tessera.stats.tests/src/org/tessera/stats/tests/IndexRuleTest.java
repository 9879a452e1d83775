// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tessera.stats.core.ClientSlot;
import org.tessera.stats.core.ClientStats;
import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.RenderTimeHistory;
import org.tessera.stats.core.ServerStats;
import org.tessera.stats.core.ServerStats.Ring;
import org.tessera.stats.core.ServerStatsItem;

/** The ring-buffer and slot index rules, with the seed's own examples. */
class IndexRuleTest {
    private static final LocalDateTime TODAY = LocalDateTime.of(2025, 6, 10, 0, 0);

    private static long local(LocalDateTime t) {
        return t.toEpochSecond(ZoneOffset.UTC);
    }

    private static ServerStatsItem used(long framesLeft) {
        return new ServerStatsItem(true, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, framesLeft);
    }

    @Test
    void dayIndexZeroIsTheFirst90SecondsOfTheDay() {
        ServerStats s = ServerStats.create();
        assertEquals(0, s.dayIndexOf(local(TODAY.plusSeconds(1))));
        assertEquals(0, s.dayIndexOf(local(TODAY.plusSeconds(89))));
        assertEquals(1, s.dayIndexOf(local(TODAY.plusSeconds(90))));
        assertEquals(959, s.dayIndexOf(local(TODAY.plusDays(1).minusSeconds(1))));
    }

    @Test
    void at1800The1700SlotIsAnHourOldAndThe1900SlotIs23HoursOld() {
        ServerStats s = ServerStats.create();
        long now = local(TODAY.plusHours(18));
        s.setLastSave(now / 90, now / 1800, now / 21600);
        int at17 = s.dayIndexOf(local(TODAY.plusHours(17)));
        int at19 = s.dayIndexOf(local(TODAY.plusHours(19)));
        assertEquals(680, at17);
        assertEquals(760, at19);
        assertEquals(now - 3600, s.daySlotStart(at17), "17:00 slot is from 1 hour ago");
        assertEquals(now - 23 * 3600, s.daySlotStart(at19), "19:00 slot is from 23 hours ago (yesterday)");
        s.set(Ring.DAY, at19, used(19));
        s.set(Ring.DAY, at17, used(17));
        assertEquals(17, s.at(Ring.DAY, local(TODAY.plusHours(17))).orElseThrow().framesLeft());
        assertEquals(19, s.at(Ring.DAY, local(TODAY.minusDays(1).plusHours(19))).orElseThrow().framesLeft(),
                "yesterday 19:00 is still in the ring");
        assertTrue(s.at(Ring.DAY, local(TODAY.plusHours(19))).isEmpty(), "today 19:00 is in the future");
        assertTrue(s.at(Ring.DAY, local(TODAY.minusDays(1).plusHours(17))).isEmpty(),
                "yesterday 17:00 has been overwritten by today's");
    }

    @Test
    void monthSlot959IsTheLastCompleted30Minutes() {
        ServerStats s = ServerStats.create();
        // the server saved at 18:00; it is 18:15 now: slot 959 covers 17:30-18:00
        long save = local(TODAY.plusHours(18));
        s.setLastSave(save / 90, save / 1800, save / 21600);
        assertEquals(local(TODAY.plusHours(17).plusMinutes(30)), s.slotStart(Ring.MONTH, 959));
        assertEquals(local(TODAY.plusHours(17)), s.slotStart(Ring.MONTH, 958));
        assertEquals(local(TODAY.plusHours(18).minusMinutes(30L * 960)), s.slotStart(Ring.MONTH, 0));
        s.push(Ring.MONTH, used(1));
        s.push(Ring.MONTH, used(2));
        assertEquals(2, s.month(959).framesLeft(), "the newest push is at the last index");
        assertEquals(1, s.month(958).framesLeft(), "older slots are pushed down");
        assertEquals(2, s.at(Ring.MONTH, local(TODAY.plusHours(17).plusMinutes(45))).orElseThrow().framesLeft());
        assertTrue(s.at(Ring.MONTH, local(TODAY.plusHours(18).plusMinutes(15))).isEmpty(), "18:00-18:30 not completed");
    }

    @Test
    void yearSlot1439IsTheLastCompletedQuarterDay() {
        ServerStats s = ServerStats.create();
        // it is 17:15; the last 6-hour save was at 12:00: slot 1439 covers 06:00-12:00
        long save = local(TODAY.plusHours(12));
        s.setLastSave(save / 90, save / 1800, save / 21600);
        assertEquals(local(TODAY.plusHours(6)), s.slotStart(Ring.YEAR, 1439));
        assertEquals(local(TODAY), s.slotStart(Ring.YEAR, 1438));
        assertEquals(local(TODAY.plusHours(12).minusHours(6L * 1440)), s.slotStart(Ring.YEAR, 0));
        s.push(Ring.YEAR, used(42));
        assertEquals(42, s.at(Ring.YEAR, local(TODAY.plusHours(7))).orElseThrow().framesLeft());
    }

    @Test
    void pushDropsTheOldestSlot() {
        ServerStats s = ServerStats.create(3, 3, 3);
        s.push(Ring.YEAR, used(1));
        s.push(Ring.YEAR, used(2));
        s.push(Ring.YEAR, used(3));
        s.push(Ring.YEAR, used(4));
        assertEquals(List.of(2L, 3L, 4L), List.of(s.year(0).framesLeft(), s.year(1).framesLeft(), s.year(2).framesLeft()));
    }

    @Test
    void clientLastDayIsTodayAndSlotsAre30Seconds() {
        ClientStats c = ClientStats.create(1);
        long today = TODAY.toLocalDate().toEpochDay();
        c.setDay(179, true, today);
        c.setDay(178, true, today - 1);
        assertEquals(179, c.dayIndexOf(today));
        assertEquals(178, c.dayIndexOf(today - 1));
        assertEquals(0, c.dayIndexOf(today - 179));
        assertEquals(-1, c.dayIndexOf(today - 180));
        assertEquals(-1, c.dayIndexOf(today + 1));
        assertEquals(0, c.slotIndexOf(29));
        assertEquals(1, c.slotIndexOf(30));
        assertEquals(2879, c.slotIndexOf(86399));
        c.setData(179, 5, new ClientSlot(true, false, 0.5f, 0, 10, -1, -1, 0, List.of()));
        c.shiftDays(1);
        assertEquals(today, c.day(178), "after a new day begins, yesterday moves to daysMax-2");
        assertEquals(0.5f, c.cpuTotal(178, 5));
        assertEquals(0, c.day(179));
        assertTrue(!c.daySet(179));
    }

    @Test
    void dailySlotsAre15Minutes() {
        assertEquals(0, DailyStats.slotIndexOf(LocalTime.of(0, 14, 59)));
        assertEquals(1, DailyStats.slotIndexOf(LocalTime.of(0, 15)));
        assertEquals(72, DailyStats.slotIndexOf(LocalTime.of(18, 0)));
        assertEquals(95, DailyStats.slotIndexOf(LocalTime.of(23, 59, 59)));
    }

    @Test
    void renderTimesNewestFirstAndAtMost100() {
        RenderTimeHistory h = new RenderTimeHistory(0, List.of());
        for (int job = 1; job <= 105; job++) {
            h = h.withJob("FancyDrink-Commercial", "Ambient Occlusion", job, 1000 + job);
        }
        h = h.withJob("FancyDrink-Commercial", "Beauty", 7, 2000);
        var ao = h.getProject(0).getLayer(0);
        assertEquals(100, ao.timesCount());
        assertEquals(105, ao.getFrameTime(0), "the latest job is at position 0");
        assertEquals(6, ao.getFrameTime(99));
        assertEquals(105, ao.jobsAdded(), "jobsAdded counts all jobs, not the kept ones");
        assertEquals(2, h.getProject(0).layerCount());
        assertEquals(2000, h.getProject(0).lastUsed());
    }
}
