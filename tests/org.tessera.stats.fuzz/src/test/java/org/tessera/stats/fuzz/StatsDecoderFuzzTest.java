// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.tessera.internal.stats.core.StatsDecoders;
import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsKind;

/**
 * One coverage-guided target over all seven decoders. Input: byte 0 picks the kind, byte 1 bit 0
 * whether the rest is a whole file image (header, size and CRC checks first) or a bare payload
 * (the decoders behind the checksum). Only {@link StatsFormatException} may come out; anything
 * else (an unchecked exception, OutOfMemoryError, a hang past Jazzer's timeout) is a finding.
 */
class StatsDecoderFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void decoders(byte[] input) {
        if (input.length < 2) {
            return;
        }
        StatsKind kind = StatsKind.values()[Math.floorMod(input[0], StatsKind.values().length)];
        ByteBuffer data = ByteBuffer.wrap(Arrays.copyOfRange(input, 2, input.length)).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if ((input[1] & 1) == 0) {
                StatsDecoders.decode(kind, data, "fuzz");
            } else {
                StatsDecoders.decodeImage(data, "fuzz");
            }
        } catch (StatsFormatException expected) {
            if (expected.getMessage() == null || expected.reason() == null) {
                throw new AssertionError("a StatsFormatException without message or reason", expected);
            }
        }
    }
}
