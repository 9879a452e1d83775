// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.JobStat;
import org.tessera.stats.core.JobStatDay;
import org.tessera.testing.TesseraProcess;
import org.tessera.testing.TesseraProcess.Result;

/** {@code tessera stats} as a user runs it: the materialized product, a real process, real files. */
class StatsCliProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path work;

    /** Ten days of daily files; each day one project with frames = day of month in slot 72 (18:00). */
    private Path tenDays() throws Exception {
        Path dir = Files.createDirectories(work.resolve("stats/daily"));
        for (int i = 0; i < 10; i++) {
            LocalDate day = LocalDate.of(2025, 6, 1).plusDays(i);
            List<JobStat> slots = new ArrayList<>();
            for (int s = 0; s < DailyStats.SLOTS; s++) {
                slots.add(s == 72 ? new JobStat(true, 2, 3, 0, 0, 0, 0, 0, 1, 0, 1, 0, 900, 1200, 40, 60,
                        day.getDayOfMonth(), 10) : JobStat.EMPTY);
            }
            new DailyStats(day, List.of(), List.of(new JobStatDay("FancyDrink", 1, slots)), List.of())
                    .write(dir.resolve(day + ".tds"));
        }
        Files.writeString(dir.resolve("README.txt"), "not a stats file");
        return dir;
    }

    @Test
    void weeklyExportWritesOneRowPerSetSlotInTheWindow() throws Exception {
        Path dir = tenDays();
        Result r = TesseraProcess.run(work, TIMEOUT, "stats", "export", "--kind", "daily", "--from", "2025-06-02",
                "--to", "2025-06-08", "--out", work.resolve("weekly.csv").toString(), dir.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("7 rows from 10 daily files"), r.output());
        List<CSVRecord> rows;
        try (Reader in = Files.newBufferedReader(work.resolve("weekly.csv"))) {
            rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
        assertEquals(7, rows.size());
        for (int i = 0; i < 7; i++) {
            assertEquals(LocalDate.of(2025, 6, 2 + i).toString(), rows.get(i).get("date"));
            assertEquals("18:00", rows.get(i).get("slotStart"));
            assertEquals("project", rows.get(i).get("type"));
            assertEquals("FancyDrink", rows.get(i).get("name"));
            assertEquals(String.valueOf(2 + i), rows.get(i).get("framesRendered"));
            assertEquals("1200", rows.get(i).get("maxMemUsageMB"));
        }
    }

    @Test
    void showSummarisesAndDamagedFilesFailWithTheReason() throws Exception {
        Path dir = tenDays();
        Path file = dir.resolve("2025-06-05.tds");
        Result show = TesseraProcess.run(work, TIMEOUT, "stats", "show", file.toString());
        assertEquals(0, show.exitCode(), show.output());
        assertTrue(show.output().contains("daily stats of 2025-06-05"), show.output());
        assertTrue(show.output().matches("(?s).*FancyDrink\\s+5 frames in\\s+1 slots.*"), show.output());

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 10] ^= 1;
        Files.write(file, bytes);
        Result bad = TesseraProcess.run(work, TIMEOUT, "stats", "show", file.toString());
        assertEquals(1, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("checksum mismatch"), bad.output());

        Result usage = TesseraProcess.run(work, TIMEOUT, "stats", "export", "--kind", "weekly", dir.toString());
        assertEquals(2, usage.exitCode(), usage.output());
        assertTrue(usage.output().contains("unknown kind 'weekly'") && usage.output().contains("daily"), usage.output());
    }

    /** A project name holding a terminal escape sequence is printed escaped, never sent raw to the terminal. */
    @Test
    void showPrintsControlCharactersEscaped() throws Exception {
        Path file = Files.createDirectories(work.resolve("escape")).resolve("2025-06-05.tds");
        List<JobStat> slots = new ArrayList<>();
        for (int s = 0; s < DailyStats.SLOTS; s++) {
            slots.add(s == 72 ? new JobStat(true, 2, 3, 0, 0, 0, 0, 0, 1, 0, 1, 0, 900, 1200, 40, 60, 5, 10) : JobStat.EMPTY);
        }
        new DailyStats(LocalDate.of(2025, 6, 5), List.of(), List.of(new JobStatDay("shot\u001b]0;pwned\u0007\u001b[2J", 1, slots)),
                List.of()).write(file);
        Result show = TesseraProcess.run(work, TIMEOUT, "stats", "show", file.toString());
        assertEquals(0, show.exitCode(), show.output());
        assertTrue(show.output().contains("shot\\u001b]0;pwned\\u0007\\u001b[2J"), show.output());
        assertTrue(show.output().chars().noneMatch(c -> c == 0x1b || c == 0x07), "no raw escape may reach the terminal");
    }
}
