// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A kind of stats file that {@code tessera stats show|export} understands. The seven built-in kinds
 * are registered as services by this bundle; another bundle can add a kind by registering one more
 * (the verb binds them dynamically).
 */
@ConsumerType
public interface StatsFileType {

    /** Header kind id of the files this type reads. */
    int kindId();

    /** Name on the command line, e.g. {@code daily}. */
    String name();

    /** A readable summary of one file. */
    String summarize(Path file) throws IOException;

    /** CSV column names of {@link #exportRows}. */
    List<String> columns();

    /**
     * Emits one row per time slot (or item) of the file whose time lies in {@code [from, to)}
     * (local time; null = unbounded). Items without a time are always emitted.
     */
    void exportRows(Path file, LocalDateTime from, LocalDateTime to, Consumer<List<Object>> rows) throws IOException;
}
