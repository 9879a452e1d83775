// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsFormatException.Reason;

/**
 * Sequential little-endian reader over a payload that checks every read against the end, so bad
 * bytes become a {@link StatsFormatException} and never an unchecked exception.
 */
public final class BinaryReader {
    private final ByteBuffer buf;
    private final String source;
    private int pos;

    public BinaryReader(ByteBuffer payload, String source) {
        this.buf = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.buf.position(0);
        this.source = source;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return buf.limit() - pos;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public void need(long n, String what) throws StatsFormatException {
        if (n < 0 || n > remaining()) {
            throw new StatsFormatException(Reason.TRUNCATED, source + ": file ends inside " + what + " at payload byte "
                    + pos + " (needs " + n + " bytes, " + remaining() + " left); the file is truncated or damaged");
        }
    }

    public void skip(int n, String what) throws StatsFormatException {
        need(n, what);
        pos += n;
    }

    public int u8(String what) throws StatsFormatException {
        need(1, what);
        return buf.get(pos++) & 0xFF;
    }

    public boolean bool(String what) throws StatsFormatException {
        return u8(what) != 0;
    }

    public int u16(String what) throws StatsFormatException {
        need(2, what);
        int v = buf.getShort(pos) & 0xFFFF;
        pos += 2;
        return v;
    }

    public int i16(String what) throws StatsFormatException {
        need(2, what);
        int v = buf.getShort(pos);
        pos += 2;
        return v;
    }

    public int i32(String what) throws StatsFormatException {
        need(4, what);
        int v = buf.getInt(pos);
        pos += 4;
        return v;
    }

    public long u32(String what) throws StatsFormatException {
        return i32(what) & 0xFFFF_FFFFL;
    }

    public long i64(String what) throws StatsFormatException {
        need(8, what);
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    public float f32(String what) throws StatsFormatException {
        return Float.intBitsToFloat(i32(what));
    }

    /**
     * A count whose items take at least {@code minBytesEach} bytes: checked against {@code max} and
     * against what is left of the file before anyone allocates for it.
     */
    public int count(long value, long max, long minBytesEach, String what) throws StatsFormatException {
        if (value < 0 || value > max) {
            throw new StatsFormatException(Reason.BAD_COUNT, source + ": " + what + " is " + value
                    + ", the format allows at most " + max + " (" + remaining() + " bytes left); the file is damaged");
        }
        if (value * minBytesEach > remaining()) {
            throw new StatsFormatException(Reason.BAD_COUNT, source + ": " + what + " is " + value + ", but "
                    + value + " items need at least " + value * minBytesEach + " bytes and only " + remaining()
                    + " are left; the file is truncated or damaged");
        }
        return (int) value;
    }

    /** UTF-8 text of {@code length} bytes (at most {@code maxBytes}). */
    public String utf8(int length, int maxBytes, String what) throws StatsFormatException {
        if (length > maxBytes) {
            throw new StatsFormatException(Reason.BAD_COUNT, source + ": " + what + " is " + length
                    + " bytes long, the format allows at most " + maxBytes);
        }
        need(length, what);
        ByteBuffer slice = buf.slice(pos, length);
        pos += length;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new StatsFormatException(Reason.BAD_VALUE, source + ": " + what + " is not valid UTF-8", e);
        }
    }

    /** A string with a one-byte length prefix. */
    public String str8(int maxBytes, String what) throws StatsFormatException {
        return utf8(u8(what + " length"), maxBytes, what);
    }

    /** A string with a two-byte length prefix. */
    public String str16(int maxBytes, String what) throws StatsFormatException {
        return utf8(u16(what + " length"), maxBytes, what);
    }

    public StatsFormatException bad(String message) {
        return new StatsFormatException(Reason.BAD_VALUE, source + ": " + message);
    }

    public String source() {
        return source;
    }
}
