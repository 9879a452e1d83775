// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.povray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A binary PPM (P6) image as POV-Ray writes it ({@code +FP16}: 16-bit big-endian samples; comments allowed). */
record PpmImage(int width, int height, short[] rgb) {

    static PpmImage read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int[] pos = { 0 };
        String magic = token(b, pos);
        if (!magic.equals("P6")) {
            throw new IOException(file + " is not a binary PPM (magic " + magic + ")");
        }
        int w = Integer.parseInt(token(b, pos));
        int h = Integer.parseInt(token(b, pos));
        int max = Integer.parseInt(token(b, pos));
        int p = pos[0] + 1; // one whitespace byte after maxval
        int bytes = max > 255 ? 2 : 1;
        long need = (long) w * h * 3 * bytes;
        if (b.length - p < need) {
            throw new IOException(file + " is truncated: " + (b.length - p) + " of " + need + " bytes");
        }
        short[] rgb = new short[w * h * 3];
        for (int k = 0; k < rgb.length; k++) {
            int v;
            if (bytes == 2) {
                v = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
                p += 2;
            } else {
                v = b[p++] & 0xFF;
            }
            rgb[k] = (short) (max == 65535 ? v : (int) ((long) v * 65535 / max));
        }
        return new PpmImage(w, h, rgb);
    }

    private static String token(byte[] b, int[] pos) throws IOException {
        int p = pos[0];
        while (p < b.length) {
            if (b[p] == '#') {
                while (p < b.length && b[p] != '\n') {
                    p++;
                }
            } else if (Character.isWhitespace(b[p])) {
                p++;
            } else {
                break;
            }
        }
        int start = p;
        while (p < b.length && !Character.isWhitespace(b[p])) {
            p++;
        }
        if (start == p) {
            throw new IOException("PPM header ends early");
        }
        pos[0] = p;
        return new String(b, start, p - start, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
