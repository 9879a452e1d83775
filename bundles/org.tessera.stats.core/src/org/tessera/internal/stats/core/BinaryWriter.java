// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Growable little-endian writer. Values outside a field's range are an
 * {@link IllegalArgumentException}: an encoder never truncates silently.
 */
public final class BinaryWriter {
    private ByteBuffer buf;

    public BinaryWriter(int initialCapacity) {
        buf = ByteBuffer.allocate(Math.max(64, initialCapacity)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void ensure(int n) {
        if (buf.remaining() < n) {
            long want = Math.max((long) buf.capacity() * 2, (long) buf.position() + n);
            if (want > Integer.MAX_VALUE - 64) {
                throw new IllegalArgumentException("stats payload larger than 2 GiB");
            }
            ByteBuffer bigger = ByteBuffer.allocate((int) want).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    public int position() {
        return buf.position();
    }

    public BinaryWriter u8(int v, String field) {
        check(v, 0, 0xFF, field);
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    public BinaryWriter bool(boolean v) {
        ensure(1);
        buf.put((byte) (v ? 1 : 0));
        return this;
    }

    public BinaryWriter u16(int v, String field) {
        check(v, 0, 0xFFFF, field);
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    public BinaryWriter i16(int v, String field) {
        check(v, Short.MIN_VALUE, Short.MAX_VALUE, field);
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    public BinaryWriter i32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    public BinaryWriter u32(long v, String field) {
        check(v, 0, 0xFFFF_FFFFL, field);
        ensure(4);
        buf.putInt((int) v);
        return this;
    }

    public BinaryWriter i64(long v) {
        ensure(8);
        buf.putLong(v);
        return this;
    }

    public BinaryWriter f32(float v) {
        ensure(4);
        buf.putFloat(v);
        return this;
    }

    public BinaryWriter zeros(int n) {
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf.put((byte) 0);
        }
        return this;
    }

    public BinaryWriter bytes(byte[] b) {
        ensure(b.length);
        buf.put(b);
        return this;
    }

    public BinaryWriter str8(String s, int maxBytes, String field) {
        byte[] b = utf8(s, maxBytes, field);
        u8(b.length, field + " length");
        return bytes(b);
    }

    public BinaryWriter str16(String s, int maxBytes, String field) {
        byte[] b = utf8(s, maxBytes, field);
        u16(b.length, field + " length");
        return bytes(b);
    }

    public static byte[] utf8(String s, int maxBytes, String field) {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        if (b.length > maxBytes) {
            throw new IllegalArgumentException(field + " \"" + s + "\" is " + b.length + " UTF-8 bytes; at most "
                    + maxBytes + " fit");
        }
        return b;
    }

    /** The bytes written so far, positioned at 0. */
    public ByteBuffer toBuffer() {
        ByteBuffer copy = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        copy.flip();
        return copy;
    }

    static void check(long v, long min, long max, String field) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + " = " + v + " is outside " + min + ".." + max);
        }
    }

    /** Cuts a string to at most {@code maxBytes} UTF-8 bytes without splitting a character. */
    public static String fit(String s, int maxBytes) {
        if (s == null) {
            return "";
        }
        if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        int used = 0;
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + n > maxBytes) {
                break;
            }
            b.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return b.toString();
    }
}
