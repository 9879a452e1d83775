// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Locale;

/**
 * The tile render exchange of the node protocol ({@code POST /v1/render}, docs/node-protocol.md),
 * shared by the node server and the remote tile worker. The request is a small JSON object (see
 * {@link #requestJson}); the answer is binary, big-endian: the magic {@code "TSTL"} (0x5453544C), a
 * format version (int, {@value #VERSION}), the tile's x, y, width and height (4 ints), then
 * {@code 3 * width * height} unsigned 16-bit RGB samples, row by row.
 */
public final class TileWire {
    /** First four bytes of a tile answer: {@code "TSTL"}. */
    public static final int MAGIC = 0x5453544C;
    /** Version of the binary answer: {@value}. */
    public static final int VERSION = 1;
    /** Marks the optional row-cost trailer after the samples ({@code TSRC}). */
    public static final int ROW_COST_MAGIC = 0x54535243;

    private TileWire() {
    }

    /**
     * The JSON body of a render request: {@code {"sha256","main","engine","job","frame","x","y","width",
     * "height","imageWidth","imageHeight","antialias","clock","eye","threads"}}, plus, only when set,
     * {@code "eyeSeparation"} and {@code "zeroParallax"} (millimetres) and {@code "testImage":true}
     * ({@link DisplayOptions}); a node that does not know them renders the scene's own camera; and
     * {@code "options"} and {@code "ini"} (strings: the user's own engine options and INI text) when they
     * are not empty.
     *
     * @param sceneSha256 SHA-256 of the scene archive the node holds (uploaded with {@code PUT /v1/scenes})
     * @param task        the tile to render
     */
    public static String requestJson(String sceneSha256, TileTask task) {
        RenderSettings s = task.settings();
        Tile t = task.tile();
        String json = String.format(Locale.ROOT,
                "{\"sha256\":%s,\"main\":%s,\"engine\":%s,\"job\":%s,\"frame\":%d,\"x\":%d,\"y\":%d,\"width\":%d,"
                        + "\"height\":%d,\"imageWidth\":%d,\"imageHeight\":%d,\"antialias\":%d,\"clock\":%s,"
                        + "\"eye\":%s,\"threads\":%d}",
                quote(sceneSha256), quote(task.scene().mainFile()), quote(task.engine()), quote(task.jobId()),
                task.frame(), t.x(), t.y(), t.width(), t.height(), s.width(), s.height(), s.antialias(),
                Double.toString(s.clock()), quote(s.eye().name()), s.threads());
        StringBuilder b = new StringBuilder(json.length() + 64).append(json, 0, json.length() - 1);
        b.append(display(s.display()));
        if (!s.engineOptions().isEmpty()) {
            b.append(",\"options\":").append(quote(s.engineOptions()));
        }
        if (!s.engineIni().isEmpty()) {
            b.append(",\"ini\":").append(quote(s.engineIni()));
        }
        return b.append('}').toString();
    }

    /** The display options' members, each with a leading comma; empty when none is set. */
    private static String display(DisplayOptions d) {
        StringBuilder b = new StringBuilder();
        if (d.hasEyeSeparation()) {
            b.append(",\"eyeSeparation\":").append(Double.toString(d.eyeSeparation()));
        }
        if (d.zeroParallax() > 0) {
            b.append(",\"zeroParallax\":").append(Double.toString(d.zeroParallax()));
        }
        if (d.showTestImage()) {
            b.append(",\"testImage\":true");
        }
        return b.toString();
    }

    /** A JSON string literal. */
    static String quote(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Encodes rendered pixels as the binary answer. */
    public static byte[] encode(TilePixels pixels) {
        Tile t = pixels.tile();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(24 + pixels.rgb().length * 2);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(t.x());
            out.writeInt(t.y());
            out.writeInt(t.width());
            out.writeInt(t.height());
            byte[] samples = new byte[pixels.rgb().length * 2];
            short[] rgb = pixels.rgb();
            for (int i = 0; i < rgb.length; i++) {
                samples[2 * i] = (byte) (rgb[i] >> 8);
                samples[2 * i + 1] = (byte) rgb[i];
            }
            out.write(samples);
            double[] rows = pixels.rowSeconds();
            if (rows != null) {
                out.writeInt(ROW_COST_MAGIC);
                out.writeInt(rows.length);
                for (double r : rows) {
                    out.writeFloat((float) r);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a binary answer.
     *
     * @throws MalformedTileException when the bytes are not a tile answer (wrong magic or version,
     *                                absurd size, wrong length)
     */
    public static TilePixels decode(byte[] body) throws MalformedTileException {
        if (body.length < 24) {
            throw new MalformedTileException("tile answer has " + body.length + " bytes, fewer than its 24-byte header");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            int magic = in.readInt();
            int version = in.readInt();
            if (magic != MAGIC || version != VERSION) {
                throw new MalformedTileException(String.format(Locale.ROOT,
                        "not a tile answer (magic 0x%08X version %d, expected 0x%08X version %d)", magic, version,
                        MAGIC, VERSION));
            }
            int x = in.readInt();
            int y = in.readInt();
            int w = in.readInt();
            int h = in.readInt();
            if (x < 0 || y < 0 || w <= 0 || h <= 0 || (long) w * h > 32768L * 32768L) {
                throw new MalformedTileException("tile answer has an absurd rectangle " + x + "," + y + " " + w + "x" + h);
            }
            long samples = 3L * w * h;
            long plain = 24 + 2 * samples;
            long withCosts = plain + 8 + 4L * h;
            if (body.length != plain && body.length != withCosts) {
                throw new MalformedTileException("tile answer has " + (body.length - 24) + " sample bytes, expected "
                        + 2 * samples);
            }
            short[] rgb = new short[(int) samples];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (short) (((body[24 + 2 * i] & 0xFF) << 8) | (body[25 + 2 * i] & 0xFF));
            }
            double[] rows = null;
            if (body.length == withCosts) {
                in.skipNBytes(2 * samples);
                int trailer = in.readInt();
                int count = in.readInt();
                if (trailer != ROW_COST_MAGIC || count != h) {
                    throw new MalformedTileException(String.format(Locale.ROOT,
                            "tile answer has a bad row-cost trailer (0x%08X, %d rows for a tile of %d)", trailer, count, h));
                }
                rows = new double[h];
                for (int i = 0; i < h; i++) {
                    float f = in.readFloat();
                    if (!(f >= 0) || Float.isInfinite(f)) {
                        throw new MalformedTileException("tile answer has a bad row cost " + f);
                    }
                    rows[i] = f;
                }
            }
            return new TilePixels(new Tile(x, y, w, h), rgb, rows);
        } catch (IOException e) {
            throw new MalformedTileException("tile answer is truncated: " + e.getMessage());
        }
    }
}
