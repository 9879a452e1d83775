// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import org.tessera.stats.core.StatsFileType;
import org.tessera.stats.core.StatsKind;

/** Base of the seven built-in {@link StatsFileType} services: id and name come from the {@link StatsKind}. */
abstract class BuiltInStatsFileType implements StatsFileType {
    private final StatsKind kind;

    BuiltInStatsFileType(StatsKind kind) {
        this.kind = kind;
    }

    @Override
    public final int kindId() {
        return kind.id();
    }

    @Override
    public final String name() {
        return kind.cliName();
    }
}
