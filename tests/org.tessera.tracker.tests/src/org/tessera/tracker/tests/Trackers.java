// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.tests;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

import org.tessera.internal.tracker.core.RenderTrackerComponent;
import org.tessera.internal.tracker.core.TrackerService;
import org.tessera.internal.tracker.core.TrackerStore;

/** Real trackers for tests: a real H2 file under a temporary folder, optionally a settable clock. */
final class Trackers {
    private Trackers() {
    }

    static String jdbcUrl(Path dir) {
        return RenderTrackerComponent.jdbcUrlFor(dir.resolve("tracker"));
    }

    static TrackerService open(Path dir) throws SQLException {
        return TrackerService.open(jdbcUrl(dir), null);
    }

    static TrackerService open(Path dir, AtomicLong clock, TrackerService.EventSink events) throws SQLException {
        return new TrackerService(TrackerStore.open(jdbcUrl(dir)), clock::get, events);
    }
}
