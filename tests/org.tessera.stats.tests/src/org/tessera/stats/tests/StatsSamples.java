// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.tests;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.tessera.stats.core.AppLicense;
import org.tessera.stats.core.AppLicenses;
import org.tessera.stats.core.ClientInfo;
import org.tessera.stats.core.ClientInfoEntry;
import org.tessera.stats.core.ClientSlot;
import org.tessera.stats.core.ClientStats;
import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.FramePart;
import org.tessera.stats.core.FrameStat;
import org.tessera.stats.core.FrameStats;
import org.tessera.stats.core.HourlyJobThread;
import org.tessera.stats.core.IpRecord;
import org.tessera.stats.core.JobStat;
import org.tessera.stats.core.JobStatDay;
import org.tessera.stats.core.JobThreadSample;
import org.tessera.stats.core.LicenseRegion;
import org.tessera.stats.core.RenderTimeHistory;
import org.tessera.stats.core.RenderTimeLayer;
import org.tessera.stats.core.RenderTimeProject;
import org.tessera.stats.core.ServerStats;
import org.tessera.stats.core.ServerStatsItem;
import org.tessera.stats.core.WolInfo;

/** Random but reproducible values for every field of every kind, each within its stored range. */
final class StatsSamples {
    private final Random rnd;

    StatsSamples(long seed) {
        rnd = new Random(seed);
    }

    int u8() {
        return rnd.nextInt(256);
    }

    int u16() {
        return rnd.nextInt(65536);
    }

    int i16() {
        return rnd.nextInt(65536) - 32768;
    }

    long u32() {
        return rnd.nextLong(1L << 32);
    }

    float f() {
        return rnd.nextFloat() * 1000f;
    }

    float pct() {
        return rnd.nextInt(65536) / 10000f;
    }

    String name(int maxChars) {
        String alphabet = "abcXYZ_- 09äöüßé漢字";
        StringBuilder s = new StringBuilder();
        int n = rnd.nextInt(maxChars + 1);
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    JobStat jobStat() {
        return new JobStat(rnd.nextBoolean(), f(), f(), f(), f(), u16(), u16(), u16(), u16(), u16(), u16(), u16(), u32(),
                u32(), u32(), u32(), u32(), u32());
    }

    DailyStats daily() {
        List<List<JobStatDay>> lists = new ArrayList<>();
        for (int type = 0; type < 3; type++) {
            List<JobStatDay> entries = new ArrayList<>();
            for (int e = rnd.nextInt(4); e >= 0; e--) {
                List<JobStat> slots = new ArrayList<>();
                for (int i = 0; i < DailyStats.SLOTS; i++) {
                    slots.add(jobStat());
                }
                entries.add(new JobStatDay(name(30), type, slots));
            }
            lists.add(entries);
        }
        return new DailyStats(LocalDate.of(2025, 3, 14).plusDays(rnd.nextInt(400)), lists.get(0), lists.get(1),
                lists.get(2));
    }

    ServerStatsItem serverItem() {
        return new ServerStatsItem(rnd.nextBoolean(), f(), f(), u32(), u32(), u32(), u16(), u16(), u16(), u16(), u16(),
                u16(), u16(), u32(), u32(), u32(), u32(), u32(), u32(), u32(), u32(), u32(), u32(), u32());
    }

    ServerStats server() {
        ServerStats s = ServerStats.create();
        for (ServerStats.Ring ring : ServerStats.Ring.values()) {
            for (int i = 0; i < s.max(ring); i++) {
                s.set(ring, i, serverItem());
            }
        }
        s.setLastSave(rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
        return s;
    }

    ClientSlot clientSlot(int maxThreads) {
        List<JobThreadSample> threads = new ArrayList<>();
        for (int t = rnd.nextInt(maxThreads + 1); t > 0; t--) {
            threads.add(new JobThreadSample(u8(), pct(), u16(), u32()));
        }
        return new ClientSlot(rnd.nextBoolean(), rnd.nextBoolean(), pct(), pct(), u16(), i16(), i16(), u8(), threads);
    }

    List<HourlyJobThread> hourly(int maxThreads) {
        List<HourlyJobThread> list = new ArrayList<>();
        for (int t = rnd.nextInt(maxThreads + 1); t > 0; t--) {
            list.add(new HourlyJobThread(u16(), u8(), u8(), u8()));
        }
        return list;
    }

    FrameStats frames(int n) {
        List<FrameStat> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<FramePart> parts = new ArrayList<>();
            for (int p = 0; p < FrameStats.PARTS; p++) {
                parts.add(new FramePart(u16(), pct(), pct(), u8()));
            }
            frames.add(new FrameStat(u32(), rnd.nextInt(), u16(), u16(), name(12), u8(), parts));
        }
        return new FrameStats("job-" + name(20), frames);
    }

    RenderTimeHistory renderTimes() {
        List<RenderTimeProject> ps = new ArrayList<>();
        for (int p = rnd.nextInt(4); p >= 0; p--) {
            List<RenderTimeLayer> ls = new ArrayList<>();
            for (int l = rnd.nextInt(4); l >= 0; l--) {
                List<Integer> times = new ArrayList<>();
                for (int t = rnd.nextInt(RenderTimeHistory.MAX_TIMES + 1); t > 0; t--) {
                    times.add(u16());
                }
                ls.add(new RenderTimeLayer(name(12), i16(), times));
            }
            ps.add(new RenderTimeProject(name(12), rnd.nextLong(), ls));
        }
        return new RenderTimeHistory(rnd.nextLong(), ps);
    }

    ClientInfo clientInfo() {
        List<ClientInfoEntry> entries = new ArrayList<>();
        for (int e = rnd.nextInt(5); e >= 0; e--) {
            List<IpRecord> ips = new ArrayList<>();
            for (int i = 0; i < ClientInfo.DEFAULT_MAX_IPS; i++) {
                ips.add(switch (rnd.nextInt(3)) {
                    case 0 -> IpRecord.NONE;
                    case 1 -> new IpRecord(u8() + "." + u8() + "." + u8() + "." + u8(), rnd.nextLong());
                    default -> new IpRecord("fd00:" + Integer.toHexString(u16()) + ":0:0:0:0:0:" + Integer.toHexString(u16() | 1),
                            rnd.nextLong());
                });
            }
            List<WolInfo> wols = new ArrayList<>();
            for (int i = 0; i < ClientInfo.DEFAULT_MAX_WOLS; i++) {
                wols.add(new WolInfo(rnd.nextBoolean(), u8(), rnd.nextLong()));
            }
            entries.add(new ClientInfoEntry(rnd.nextLong(), rnd.nextLong(), u8(), name(16), name(3), ips, wols));
        }
        return new ClientInfo(ClientInfo.DEFAULT_MAX_IPS, ClientInfo.DEFAULT_MAX_WOLS, entries);
    }

    AppLicenses licenses() {
        List<AppLicense> list = new ArrayList<>();
        for (int i = rnd.nextInt(6); i >= 0; i--) {
            List<LicenseRegion> regions = new ArrayList<>();
            for (int g = 0; g < AppLicenses.REGIONS; g++) {
                regions.add(new LicenseRegion(rnd.nextInt(), rnd.nextBoolean(), rnd.nextBoolean(), f()));
            }
            list.add(new AppLicense(name(20), name(20), rnd.nextInt(), regions));
        }
        return new AppLicenses(list);
    }

    /** Fills days of a client file with random data. */
    void fillClient(ClientStats c, int days) {
        for (int d = c.daysMax() - days; d < c.daysMax(); d++) {
            c.setDay(d, rnd.nextBoolean(), 20000 + d);
            for (int i = 0; i < c.dataMax(); i++) {
                c.setData(d, i, clientSlot(c.maxJobThreads()));
            }
            for (int h = 0; h < c.dataHourlyMax(); h++) {
                c.setDataHourly(d, h, hourly(c.maxJobThreads()));
            }
        }
    }
}
