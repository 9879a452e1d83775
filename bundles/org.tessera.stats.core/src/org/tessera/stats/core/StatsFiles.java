// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.nio.file.Path;

import org.tessera.internal.stats.core.StatsContainer;

/** Questions about any stats file, whatever its kind. */
public final class StatsFiles {
    private StatsFiles() {
    }

    /**
     * The kind id in a file's header (checks magic and version, not the checksum). Built-in ids map to
     * {@link StatsKind#ofId(int)}; other ids belong to kinds contributed by other bundles.
     */
    public static int kindIdOf(Path file) throws StatsFormatException {
        return StatsContainer.readHeader(StatsContainer.map(file), file.toString()).kindId();
    }

    /** Checks a whole file (header, size, checksum) without decoding its payload. */
    public static void verify(Path file) throws StatsFormatException {
        StatsContainer.load(file, null);
    }
}
