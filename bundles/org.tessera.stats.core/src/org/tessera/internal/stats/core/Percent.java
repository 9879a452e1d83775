// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

/** The seed's {@code rrPercent}: a float with 1.0 = 100 %, stored as UInt16 in units of 1/10000. */
public final class Percent {
    private Percent() {
    }

    public static int encode(float f) {
        long v = Math.round(f * 10000.0);
        if (Float.isNaN(f) || v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException("percentage " + f + " outside 0..6.5535 (1.0 = 100 %)");
        }
        return (int) v;
    }

    public static float decode(int stored) {
        return stored / 10000f;
    }
}
