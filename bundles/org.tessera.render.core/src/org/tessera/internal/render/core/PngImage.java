// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.core;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;

/**
 * An RGB image with 16-bit samples and its PNG form (8- or 16-bit truecolour, no interlace). Writing is
 * atomic: the file is written under a hidden temporary name in the same folder, forced to disk, then
 * renamed over the target, so readers see either no file or the whole frame.
 */
public record PngImage(int width, int height, short[] rgb) {

    public int sample(int x, int y, int channel) {
        return rgb[3 * (y * width + x) + channel] & 0xFFFF;
    }

    /** Keyword of the {@code tEXt} chunk in which Tessera records the settings a frame was rendered with. */
    public static final String SETTINGS_KEY = "Tessera settings";

    /** A PNG file's size and its {@code tEXt} chunks before the image data, read without decoding pixels. */
    public record Header(int width, int height, java.util.Map<String, String> text) {
    }

    /** Writes the image as PNG with {@code bitDepth} 8 or 16, atomically. */
    public void writeAtomically(Path file, int bitDepth) throws IOException {
        writeAtomically(file, bitDepth, java.util.Map.of());
    }

    /**
     * Writes the image as PNG with {@code bitDepth} 8 or 16 and {@code tEXt} chunks (keyword to Latin-1
     * text; other characters become {@code ?}), atomically.
     */
    public void writeAtomically(Path file, int bitDepth, java.util.Map<String, String> text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".part-" + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().threadId());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(encode(bitDepth, text)));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The PNG bytes. 8-bit samples are the 16-bit ones rounded: {@code (v * 255 + 32767) / 65535}. */
    public byte[] encode(int bitDepth) throws IOException {
        return encode(bitDepth, java.util.Map.of());
    }

    /** The PNG bytes with {@code tEXt} chunks after the header (keyword 1..79 Latin-1 characters). */
    public byte[] encode(int bitDepth, java.util.Map<String, String> text) throws IOException {
        if (bitDepth != 8 && bitDepth != 16) {
            throw new IllegalArgumentException("bit depth must be 8 or 16");
        }
        int bytesPerSample = bitDepth / 8;
        int stride = width * 3 * bytesPerSample;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(6);
        try (DeflaterOutputStream z = new DeflaterOutputStream(raw, deflater)) {
            byte[] row = new byte[stride + 1];
            for (int y = 0; y < height; y++) {
                row[0] = 0;
                int o = 1;
                int base = y * width * 3;
                for (int i = 0; i < width * 3; i++) {
                    int v = rgb[base + i] & 0xFFFF;
                    if (bytesPerSample == 1) {
                        row[o++] = (byte) to8(v);
                    } else {
                        row[o++] = (byte) (v >>> 8);
                        row[o++] = (byte) v;
                    }
                }
                z.write(row);
            }
        } finally {
            deflater.end();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        for (java.util.Map.Entry<String, String> t : new java.util.TreeMap<>(text).entrySet()) {
            byte[] key = t.getKey().getBytes(StandardCharsets.ISO_8859_1);
            if (key.length < 1 || key.length > 79) {
                throw new IllegalArgumentException("PNG text keyword must have 1..79 characters: " + t.getKey());
            }
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            chunk.write(key);
            chunk.write(0);
            chunk.write(t.getValue().getBytes(StandardCharsets.ISO_8859_1));
            chunk(out, "tEXt", chunk.toByteArray());
        }
        chunk(out, "IDAT", raw.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** 16-bit sample to 8 bits, rounded. */
    public static int to8(int v16) {
        return (v16 * 255 + 32767) / 65535;
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * The size and the {@code tEXt} chunks of a PNG file (those before its image data, where Tessera writes
     * them), reading no pixels.
     *
     * @throws IOException when the file is not a PNG file
     */
    public static Header header(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            byte[] sig = in.readNBytes(8);
            if (sig.length != 8 || (sig[0] & 0xFF) != 0x89 || sig[1] != 'P' || sig[2] != 'N' || sig[3] != 'G') {
                throw new IOException(file + " is not a PNG file");
            }
            int w = -1;
            int h = -1;
            java.util.Map<String, String> text = new java.util.LinkedHashMap<>();
            while (true) {
                int len = in.readInt();
                String type = new String(in.readNBytes(4), StandardCharsets.US_ASCII);
                if (len < 0 || len > (1 << 20) || type.equals("IDAT") || type.equals("IEND")) {
                    break;
                }
                byte[] data = in.readNBytes(len);
                in.readInt();
                if (type.equals("IHDR") && data.length >= 8) {
                    ByteBuffer b = ByteBuffer.wrap(data);
                    w = b.getInt();
                    h = b.getInt();
                } else if (type.equals("tEXt")) {
                    int zero = 0;
                    while (zero < data.length && data[zero] != 0) {
                        zero++;
                    }
                    if (zero < data.length) {
                        text.put(new String(data, 0, zero, StandardCharsets.ISO_8859_1),
                                new String(data, zero + 1, data.length - zero - 1, StandardCharsets.ISO_8859_1));
                    }
                }
            }
            if (w < 0) {
                throw new IOException(file + " has no PNG header chunk");
            }
            return new Header(w, h, java.util.Map.copyOf(text));
        } catch (java.io.EOFException e) {
            throw new IOException(file + " is a truncated PNG file", e);
        }
    }

    /**
     * Reads an 8- or 16-bit RGB or RGBA PNG (any filter, no interlace); 8-bit samples are widened to
     * 16 bits ({@code v * 257}).
     */
    public static PngImage read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            byte[] sig = in.readNBytes(8);
            if (sig.length != 8 || (sig[0] & 0xFF) != 0x89 || sig[1] != 'P') {
                throw new IOException(file + " is not a PNG file");
            }
            int w = 0;
            int h = 0;
            int depth = 0;
            int colorType = 0;
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            while (true) {
                int len = in.readInt();
                String type = new String(in.readNBytes(4), StandardCharsets.US_ASCII);
                byte[] data = in.readNBytes(len);
                in.readInt();
                if (type.equals("IHDR")) {
                    ByteBuffer b = ByteBuffer.wrap(data);
                    w = b.getInt();
                    h = b.getInt();
                    depth = b.get();
                    colorType = b.get();
                    if (b.get(12) != 0) {
                        throw new IOException(file + ": interlaced PNG not supported");
                    }
                } else if (type.equals("IDAT")) {
                    idat.write(data);
                } else if (type.equals("IEND")) {
                    break;
                }
            }
            int channels = switch (colorType) {
                case 2 -> 3;
                case 6 -> 4;
                default -> throw new IOException(file + ": PNG colour type " + colorType + " not supported");
            };
            if (depth != 8 && depth != 16) {
                throw new IOException(file + ": PNG bit depth " + depth + " not supported");
            }
            int bpp = channels * depth / 8;
            int stride = w * bpp;
            byte[] pixels = new byte[h * (stride + 1)];
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(idat.toByteArray());
                int n = 0;
                while (n < pixels.length && !inflater.finished()) {
                    int got = inflater.inflate(pixels, n, pixels.length - n);
                    if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    n += got;
                }
                if (n != pixels.length) {
                    throw new IOException(file + ": truncated image data");
                }
            } catch (DataFormatException e) {
                throw new IOException(file + ": corrupt image data", e);
            } finally {
                inflater.end();
            }
            byte[] prev = new byte[stride];
            byte[] cur = new byte[stride];
            short[] rgb = new short[w * h * 3];
            for (int y = 0; y < h; y++) {
                int filter = pixels[y * (stride + 1)];
                System.arraycopy(pixels, y * (stride + 1) + 1, cur, 0, stride);
                unfilter(filter, cur, prev, bpp);
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        int v;
                        if (depth == 8) {
                            v = (cur[x * bpp + c] & 0xFF) * 257;
                        } else {
                            int o = x * bpp + c * 2;
                            v = ((cur[o] & 0xFF) << 8) | (cur[o + 1] & 0xFF);
                        }
                        rgb[(y * w + x) * 3 + c] = (short) v;
                    }
                }
                byte[] t = prev;
                prev = cur;
                cur = t;
            }
            return new PngImage(w, h, rgb);
        }
    }

    private static void unfilter(int filter, byte[] cur, byte[] prev, int bpp) throws IOException {
        for (int i = 0; i < cur.length; i++) {
            int a = i >= bpp ? cur[i - bpp] & 0xFF : 0;
            int b = prev[i] & 0xFF;
            int c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
            int x = cur[i] & 0xFF;
            int r = switch (filter) {
                case 0 -> x;
                case 1 -> x + a;
                case 2 -> x + b;
                case 3 -> x + ((a + b) >>> 1);
                case 4 -> {
                    int p = a + b - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - b);
                    int pc = Math.abs(p - c);
                    yield x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }
                default -> throw new IOException("bad PNG filter " + filter);
            };
            cur[i] = (byte) r;
        }
    }
}
