// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.tessera.stats.core.AppLicenses;
import org.tessera.stats.core.ClientInfo;
import org.tessera.stats.core.ClientStats;
import org.tessera.stats.core.DailyStats;
import org.tessera.stats.core.FrameStats;
import org.tessera.stats.core.RenderTimeHistory;
import org.tessera.stats.core.ServerStats;
import org.tessera.stats.core.StatsFormatException;
import org.tessera.stats.core.StatsKind;

/** Dispatch from a {@link StatsKind} to its decoder (used by the verb, the fuzzer and the tests). */
public final class StatsDecoders {
    private StatsDecoders() {
    }

    /** Decodes a payload of the given kind. */
    public static Object decode(StatsKind kind, ByteBuffer payload, String source) throws StatsFormatException {
        return switch (kind) {
            case DAILY -> DailyStats.decode(payload, source);
            case SERVER -> ServerStats.decode(payload, source);
            case CLIENT -> ClientStats.decode(payload, source);
            case FRAMES -> FrameStats.decode(payload, source);
            case RENDER_TIMES -> RenderTimeHistory.decode(payload, source);
            case CLIENT_INFO -> ClientInfo.decode(payload, source);
            case APP_LICENSES -> AppLicenses.decode(payload, source);
        };
    }

    /** Loads a file that must be of the given kind. */
    public static Object load(StatsKind kind, Path file) throws StatsFormatException {
        return decode(kind, StatsContainer.load(file, kind), file.toString());
    }

    /** Decodes a whole file image (header included) of any built-in kind. */
    public static Object decodeImage(ByteBuffer image, String source) throws StatsFormatException {
        StatsContainer.Header h = StatsContainer.readHeader(image, source);
        StatsKind kind = StatsKind.ofId(h.kindId()).orElseThrow(() -> new StatsFormatException(
                StatsFormatException.Reason.WRONG_KIND, source + ": kind " + h.kindId() + " is not a built-in kind"));
        return decode(kind, StatsContainer.payload(image, kind, source), source);
    }
}
