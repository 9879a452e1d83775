// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tessera.stats.core.AppLicenses;
import org.tessera.stats.core.ClientInfo;
import org.tessera.stats.core.ClientStats;
import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.FrameStats;
import org.tessera.stats.core.RenderTimeHistory;
import org.tessera.stats.core.ServerStats;
import org.tessera.stats.core.StatsFileLoader;
import org.tessera.stats.core.StatsFiles;
import org.tessera.stats.core.StatsKind;

/** Encode → write → load → equal, for every kind and every field (random values over each field's range). */
class RoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3 })
    void dailyStats(long seed) throws Exception {
        DailyStats d = new StatsSamples(seed).daily();
        Path f = dir.resolve("daily.tds");
        d.write(f);
        assertEquals(d, DailyStats.load(f));
        assertEquals(StatsKind.DAILY.id(), StatsFiles.kindIdOf(f));
        assertEquals(3, d.jobTypeCount());
        assertEquals(96, d.getJobsByType(DailyStats.PROJECTS).get(0).timeSlotCount());
    }

    @Test
    void dailyUnsetSlotIsEmptyOptional() throws Exception {
        DailyStats d = new StatsSamples(7).daily();
        d.write(dir.resolve("d.tds"));
        DailyStats back = DailyStats.load(dir.resolve("d.tds"));
        var entry = back.getJobsByType(DailyStats.USERS).get(0);
        for (int i = 0; i < entry.timeSlotCount(); i++) {
            assertEquals(entry.slots().get(i).slotSet(), entry.getTimeSlot(i).isPresent());
        }
    }

    @Test
    void serverStatsEverySlotOfEveryRing() throws Exception {
        ServerStats s = new StatsSamples(11).server();
        Path f = dir.resolve("server_stats.db");
        s.write(f);
        ServerStats back = ServerStats.load(f);
        assertEquals(s.lastSaveDay(), back.lastSaveDay());
        assertEquals(s.lastSaveMonth(), back.lastSaveMonth());
        assertEquals(s.lastSaveYear(), back.lastSaveYear());
        assertEquals(960, back.dayMax());
        assertEquals(960, back.monthMax());
        assertEquals(1440, back.yearMax());
        for (ServerStats.Ring ring : ServerStats.Ring.values()) {
            for (int i = 0; i < s.max(ring); i++) {
                assertEquals(s.item(ring, i), back.item(ring, i), ring + " " + i);
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> back.day(960));
        assertThrows(UnsupportedOperationException.class, () -> back.setLastSave(1, 2, 3),
                "a loaded file is a read-only view");
    }

    @Test
    void clientStatsEverySlotAndHour() throws Exception {
        StatsSamples samples = new StatsSamples(5);
        ClientStats c = ClientStats.create(ClientStats.DEFAULT_MAX_JOB_THREADS);
        samples.fillClient(c, 3);
        Path f = dir.resolve("node1.tcs");
        c.write(f);
        ClientStats back = ClientStats.load(f);
        assertEquals(0xA101, back.structureId());
        assertEquals(180, back.daysMax());
        assertEquals(2880, back.dataMax());
        assertEquals(24, back.dataHourlyMax());
        for (int d = back.daysMax() - 4; d < back.daysMax(); d++) {
            assertEquals(c.daySet(d), back.daySet(d));
            assertEquals(c.day(d), back.day(d));
            for (int i = 0; i < back.dataMax(); i++) {
                assertEquals(c.data(d, i), back.data(d, i), "day " + d + " slot " + i);
            }
            for (int h = 0; h < back.dataHourlyMax(); h++) {
                assertEquals(c.dataHourly(d, h), back.dataHourly(d, h), "day " + d + " hour " + h);
            }
        }
        assertFalse(back.daySet(0), "days never written stay unset");
        assertEquals(0, back.data(0, 0).jobThreadCount());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 250 })
    void frameStats(int frames) throws Exception {
        FrameStats s = new StatsSamples(frames).frames(frames);
        Path f = dir.resolve("job.tfs");
        s.write(f);
        assertEquals(s, FrameStats.load(f));
        assertEquals(frames, FrameStats.load(f).frameCount());
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3 })
    void renderTimes(long seed) throws Exception {
        RenderTimeHistory h = new StatsSamples(seed).renderTimes();
        Path f = dir.resolve("rendertimes.db");
        h.write(f);
        assertEquals(h, RenderTimeHistory.load(f));
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3 })
    void clientInfo(long seed) throws Exception {
        ClientInfo c = new StatsSamples(seed).clientInfo();
        Path f = dir.resolve("clientIPstats.db");
        c.write(f);
        assertEquals(c, ClientInfo.load(f));
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3 })
    void appLicensesLoadAndSave(long seed) throws Exception {
        AppLicenses l = new StatsSamples(seed).licenses();
        Path f = dir.resolve("licenses.db");
        l.write(f);
        AppLicenses back = AppLicenses.load(f);
        assertEquals(l, back);
        // save what was loaded: byte-identical
        Path again = dir.resolve("licenses2.db");
        back.write(again);
        assertEquals(List.of(Files.readAllBytes(f)).get(0).length, Files.readAllBytes(again).length);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(f), Files.readAllBytes(again)));
    }

    @Test
    void seedStyleLoaderReportsErrors() throws Exception {
        StatsFileLoader<FrameStats> loader = StatsFileLoader.of(FrameStats::load);
        assertFalse(loader.loadFromFile(dir.resolve("missing.tfs").toString()));
        assertTrue(loader.getError().contains("no such file"), loader.getError());
        assertTrue(loader.loadFromFile(dir.resolve("missing.tfs").toString(), false));
        FrameStats s = new StatsSamples(3).frames(3);
        s.write(dir.resolve("ok.tfs"));
        assertTrue(loader.loadFromFile(dir.resolve("ok.tfs").toString()));
        assertEquals("", loader.getError());
        assertEquals(s, loader.data());
        new StatsSamples(4).licenses().write(dir.resolve("lic.db"));
        assertFalse(loader.loadFromFile(dir.resolve("lic.db").toString()));
        assertTrue(loader.getError().contains("licenses stats file, not a frames one"), loader.getError());
    }

    @Test
    void encodersRefuseValuesOutsideTheirField() {
        var bad = new org.tessera.stats.core.FrameStat(0, 0, 70000, 0, "n", 1,
                new StatsSamples(1).frames(1).frame(0).parts());
        assertThrows(IllegalArgumentException.class,
                () -> new FrameStats("j", List.of(bad)).encode());
        assertThrows(IllegalArgumentException.class,
                () -> new FrameStats("j", List.of(new org.tessera.stats.core.FrameStat(0, 0, 1, 0, "x".repeat(51), 1,
                        new StatsSamples(1).frames(1).frame(0).parts()))).encode());
    }
}
