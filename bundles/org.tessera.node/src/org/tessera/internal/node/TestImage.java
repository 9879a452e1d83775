// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.node;

import java.nio.charset.StandardCharsets;

/**
 * The node's test image for display clusters: eight colour bars with a 32-pixel white grid, as binary
 * PPM (P6, 8 bits per channel), so alignment and colour of every display tile can be checked by eye.
 */
public final class TestImage {
    private static final int[][] BARS = {
        {255, 255, 255}, {255, 255, 0}, {0, 255, 255}, {0, 255, 0}, {255, 0, 255}, {255, 0, 0}, {0, 0, 255}, {0, 0, 0},
    };

    private TestImage() {
    }

    public static byte[] ppm(int width, int height) {
        byte[] header = ("P6\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + width * height * 3];
        System.arraycopy(header, 0, out, 0, header.length);
        int i = header.length;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] c = x % 32 == 0 || y % 32 == 0 ? BARS[0] : BARS[x * BARS.length / width];
                out[i++] = (byte) c[0];
                out[i++] = (byte) c[1];
                out[i++] = (byte) c[2];
            }
        }
        return out;
    }
}
