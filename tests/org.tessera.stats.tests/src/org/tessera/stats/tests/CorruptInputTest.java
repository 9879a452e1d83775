// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tessera.internal.stats.core.StatsContainer;
import org.tessera.internal.stats.core.StatsDecoders;
import org.tessera.stats.core.ClientStats;
import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.FrameStats;
import org.tessera.stats.core.ServerStats;
import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsFormatException.Reason;
import org.tessera.stats.core.StatsKind;

/** Damaged files give a typed, readable error, never an unchecked exception, OOM or hang. */
class CorruptInputTest {
    @TempDir
    Path dir;

    /** A small valid file of each kind. */
    private ByteBuffer valid(StatsKind kind) {
        StatsSamples s = new StatsSamples(kind.id());
        ByteBuffer payload = switch (kind) {
            case DAILY -> s.daily().encode();
            case SERVER -> s.server().encode();
            case CLIENT -> {
                ClientStats c = ClientStats.create(3, 2880, 2);
                s.fillClient(c, 1);
                yield c.encode();
            }
            case FRAMES -> s.frames(20).encode();
            case RENDER_TIMES -> s.renderTimes().encode();
            case CLIENT_INFO -> s.clientInfo().encode();
            case APP_LICENSES -> s.licenses().encode();
        };
        return StatsContainer.image(kind, payload);
    }

    private Path file(String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private StatsFormatException failure(StatsKind kind, byte[] image) throws Exception {
        Path f = file(kind.cliName() + ".bad", image);
        return assertThrows(StatsFormatException.class, () -> StatsDecoders.load(kind, f));
    }

    @ParameterizedTest
    @EnumSource(StatsKind.class)
    void everyTruncationIsTruncated(StatsKind kind) throws Exception {
        byte[] full = bytes(valid(kind));
        StatsDecoders.load(kind, file("ok", full));
        int[] cuts = { 0, 3, 4, 23, 24, 25, full.length / 2, full.length - 1 };
        for (int cut : cuts) {
            StatsFormatException e = failure(kind, Arrays.copyOf(full, cut));
            assertEquals(Reason.TRUNCATED, e.reason(), cut + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("too short"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(StatsKind.class)
    void wrongMagicVersionChecksumKind(StatsKind kind) throws Exception {
        byte[] full = bytes(valid(kind));
        byte[] magic = full.clone();
        magic[0] = 'X';
        StatsFormatException e = failure(kind, magic);
        assertEquals(Reason.BAD_MAGIC, e.reason());
        assertTrue(e.getMessage().contains("not a Tessera stats file"), e.getMessage());

        byte[] version = full.clone();
        version[6] = 9;
        e = failure(kind, version);
        assertEquals(Reason.UNSUPPORTED_VERSION, e.reason());
        assertTrue(e.getMessage().contains("format version 9 is not supported"), e.getMessage());

        byte[] flipped = full.clone();
        flipped[full.length - 1] ^= 0x40;
        e = failure(kind, flipped);
        assertEquals(Reason.BAD_CHECKSUM, e.reason());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());

        byte[] other = full.clone();
        other[4] = (byte) (kind == StatsKind.DAILY ? 2 : 1);
        e = failure(kind, other);
        assertEquals(Reason.WRONG_KIND, e.reason());

        byte[] trailing = Arrays.copyOf(full, full.length + 3);
        e = failure(kind, trailing);
        assertEquals(Reason.TRAILING_DATA, e.reason());
    }

    /** A payload with a valid header and checksum whose first count field claims billions of items. */
    @Test
    void absurdCountsAreRejectedBeforeAllocating() throws Exception {
        Map<StatsKind, byte[]> payloads = Map.of(
                StatsKind.DAILY, le(16).putInt(20000).putShort((short) 96).putShort((short) 3).putInt(-1).array(),
                StatsKind.FRAMES, le(6).putShort((short) 0).putInt(-1).array(),
                StatsKind.RENDER_TIMES, le(10).putLong(0).putShort((short) -1).array(),
                StatsKind.CLIENT_INFO, le(4).putShort((short) -1).put((byte) 255).put((byte) 255).array(),
                StatsKind.APP_LICENSES, le(2).putShort((short) -1).array(),
                StatsKind.SERVER, le(32).putShort(24, (short) -1).putShort(26, (short) -1).putShort(28, (short) -1)
                        .putShort(30, (short) 80).array(),
                StatsKind.CLIENT, le(12).putInt(0xA101).putShort((short) -1).putShort((short) 1).putShort((short) 24)
                        .put((byte) 64).array());
        for (var p : payloads.entrySet()) {
            byte[] image = bytes(StatsContainer.image(p.getKey(), ByteBuffer.wrap(p.getValue())));
            StatsFormatException e = failure(p.getKey(), image);
            assertTrue(e.reason() == Reason.BAD_COUNT || e.reason() == Reason.TRUNCATED,
                    p.getKey() + ": " + e.reason() + " " + e.getMessage());
            assertTrue(e.getMessage().contains("bytes"), e.getMessage());
        }
    }

    @Test
    void clientThreadCountLargerThanTheSlotIsBadCount() throws Exception {
        ClientStats c = ClientStats.create(2, 2880, 2);
        ByteBuffer p = c.encode();
        byte[] raw = bytes(p);
        raw[12 + 8 + 2] = 9; // day 0, slot 0, jobThreadCount
        StatsFormatException e = assertThrows(StatsFormatException.class,
                () -> ClientStats.decode(ByteBuffer.wrap(raw), "x"));
        assertEquals(Reason.BAD_COUNT, e.reason());
        assertTrue(e.getMessage().contains("claims 9 job threads"), e.getMessage());
        raw[12 + 8 + 2] = 0;
        raw[0] = 0x02;
        e = assertThrows(StatsFormatException.class, () -> ClientStats.decode(ByteBuffer.wrap(raw), "x"));
        assertTrue(e.getMessage().contains("StructureID"), e.getMessage());
    }

    @Test
    void badUtf8NameIsBadValue() throws Exception {
        byte[] payload = le(2 + 1 + 4 + 2 + 104).putShort((short) 1).put((byte) 0xC3).putInt(0).array();
        StatsFormatException e = assertThrows(StatsFormatException.class,
                () -> FrameStats.decode(ByteBuffer.wrap(payload), "x"));
        assertEquals(Reason.BAD_VALUE, e.reason());
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    /**
     * Random mutations of valid payloads, decoded without the checksum in the way: only
     * StatsFormatException may come out, and each decode finishes quickly.
     */
    @ParameterizedTest
    @EnumSource(StatsKind.class)
    void mutatedPayloadsOnlyEverGiveStatsFormatException(StatsKind kind) {
        byte[] base = bytes(valid(kind));
        byte[] payload = Arrays.copyOfRange(base, StatsContainer.HEADER_SIZE, base.length);
        Random rnd = new Random(kind.id() * 31L);
        int failures = 0;
        long deadline = System.nanoTime() + 3_000_000_000L;
        for (int i = 0; i < 400 && System.nanoTime() < deadline; i++) {
            byte[] m = mutate(payload, rnd);
            try {
                StatsDecoders.decode(kind, ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN), "mutant " + i);
            } catch (StatsFormatException e) {
                failures++;
                assertTrue(e.getMessage() != null && e.getMessage().startsWith("mutant " + i), e.getMessage());
            } catch (RuntimeException | Error e) {
                fail(kind + " mutant " + i + " threw " + e, e);
            }
        }
        assertTrue(failures > 0, "mutations never produced an error: the decoder checks nothing?");
    }

    static byte[] mutate(byte[] in, Random rnd) {
        byte[] m = in.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> {
                for (int k = 1 + rnd.nextInt(8); k > 0 && m.length > 0; k--) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
            }
            case 1 -> m = Arrays.copyOf(m, rnd.nextInt(m.length + 1));
            case 2 -> {
                if (m.length >= 4) {
                    int at = rnd.nextInt(m.length - 3);
                    m[at] = m[at + 1] = m[at + 2] = m[at + 3] = (byte) 0xFF;
                }
            }
            default -> m = Arrays.copyOf(m, m.length + 1 + rnd.nextInt(64));
        }
        return m;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void loadsOfValidFilesStillWork() throws Exception {
        assertEquals(DailyStats.class, StatsDecoders.load(StatsKind.DAILY, file("d", bytes(valid(StatsKind.DAILY)))).getClass());
        assertEquals(ServerStats.class, StatsDecoders.load(StatsKind.SERVER, file("s", bytes(valid(StatsKind.SERVER)))).getClass());
    }
}
