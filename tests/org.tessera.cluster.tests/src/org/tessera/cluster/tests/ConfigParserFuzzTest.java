// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.tessera.cluster.core.ClusterConfig;
import org.tessera.cluster.core.ClusterConfigException;

/**
 * Generated-corpus fuzzing of both parsers: random mutations of valid host lists and XML documents.
 * The only acceptable outcomes are a configuration (which must then round-trip through XML) or a
 * {@link ClusterConfigException}; anything else, or an input taking over 2 s, fails. Seeded, bounded.
 */
class ConfigParserFuzzTest {
    private static final String[] HOST_SEEDS = {
        "pc1 pc2 pc3", "PC1, PC2, PC3", "pc1 - pc4", "node01 - node12", "master {pc1 pc2} slave {pc3}",
        "localhost:7701 - localhost:7704", "[::1]:7702 ::1 127.0.0.1", "192.168.0.1 - 192.168.0.9",
        "fe80::1%eth0 a.b.c:99",
    };
    private static final String[] XML_SEEDS = {
        ClusterConfig.parseHostList("pc1 g {a01 - a03} [::1]:9").toXml(),
        "<cluster xmlns=\"urn:tessera:cluster:1\" version=\"1\"><display rows=\"2\"/></cluster>",
    };
    private static final String ALPHABET = " ,;{}-:[]%.0123456789abcxyzPC\n\t<>/=\"'&!?#\u00e9\u0000";

    @Test
    void parsersNeverCrashOrHang() throws Exception {
        Random random = new Random(20240601L);
        ExecutorService exec = Executors.newSingleThreadExecutor();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int parsed = 0;
        int refused = 0;
        try {
            for (int i = 0; i < 20_000 && System.nanoTime() < deadline; i++) {
                String seed = i % 3 == 0 ? XML_SEEDS[random.nextInt(XML_SEEDS.length)]
                        : HOST_SEEDS[random.nextInt(HOST_SEEDS.length)];
                String input = mutate(seed, random);
                Future<Boolean> f = exec.submit(() -> check(input));
                try {
                    if (f.get(2, TimeUnit.SECONDS)) {
                        parsed++;
                    } else {
                        refused++;
                    }
                } catch (TimeoutException e) {
                    f.cancel(true);
                    fail("parser hung on input: " + escape(input));
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("parser crashed on input: " + escape(input), e.getCause());
                }
            }
        } finally {
            exec.shutdownNow();
        }
        assertTrue(parsed > 100, "too few valid inputs generated: " + parsed);
        assertTrue(refused > 100, "too few invalid inputs generated: " + refused);
    }

    private static boolean check(String input) {
        ClusterConfig c;
        try {
            c = ClusterConfig.parse(input);
        } catch (ClusterConfigException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("empty message");
            }
            return false;
        }
        String xml = c.toXml();
        ClusterConfig back = ClusterConfig.parse(xml);
        assertEquals(c, back, "round trip changed " + escape(input));
        return true;
    }

    private static String mutate(String seed, Random r) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int pos = sb.isEmpty() ? 0 : r.nextInt(sb.length() + 1);
            switch (r.nextInt(6)) {
                case 0 -> sb.insert(pos, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 1 -> {
                    if (pos < sb.length()) {
                        sb.deleteCharAt(pos);
                    }
                }
                case 2 -> {
                    if (pos < sb.length()) {
                        sb.setCharAt(pos, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                    }
                }
                case 3 -> {
                    int len = Math.min(sb.length() - Math.min(pos, sb.length()), r.nextInt(12));
                    String chunk = sb.substring(Math.min(pos, sb.length()), Math.min(pos, sb.length()) + len);
                    sb.insert(pos, chunk);
                }
                case 4 -> sb.insert(pos, " " + r.nextInt(100000) + " ");
                default -> {
                    // keep the seed (still counted as an edit) so valid inputs stay common
                }
            }
        }
        return sb.toString();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            sb.append(c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append('"').toString();
    }
}
