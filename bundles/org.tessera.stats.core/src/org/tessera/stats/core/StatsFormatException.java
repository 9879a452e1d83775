// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.io.IOException;

/**
 * A stats file that cannot be decoded: the {@link #reason()} says which check failed, the message
 * says where and what to do. Decoders never throw anything else for bad bytes (no
 * {@code OutOfMemoryError}, no {@code IndexOutOfBoundsException}).
 */
public class StatsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Which check failed. */
    public enum Reason {
        /** The file ends before the header or a field it announces. */
        TRUNCATED,
        /** The first four bytes are not {@code TSTF}: not a Tessera stats file. */
        BAD_MAGIC,
        /** A stats file, but of another kind than the decoder reads. */
        WRONG_KIND,
        /** A format version this build does not read. */
        UNSUPPORTED_VERSION,
        /** The CRC-32C of the payload does not match the header: the file was damaged. */
        BAD_CHECKSUM,
        /** A count or size field is larger than the file can hold or than the format allows. */
        BAD_COUNT,
        /** A field holds a value the format does not allow (e.g. a bad UTF-8 name, a wrong structure id). */
        BAD_VALUE,
        /** Bytes after the payload the header announces. */
        TRAILING_DATA,
        /** The file could not be read at all (missing, unreadable, too big to map). */
        UNREADABLE
    }

    private final Reason reason;

    public StatsFormatException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StatsFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
