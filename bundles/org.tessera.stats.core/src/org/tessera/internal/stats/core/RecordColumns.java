// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.stats.core;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Column names and values of a record's components, for CSV rows (not used on the decode path). */
final class RecordColumns {
    private RecordColumns() {
    }

    static List<String> names(Class<? extends Record> type, Set<String> skip) {
        List<String> names = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            if (!skip.contains(c.getName())) {
                names.add(c.getName());
            }
        }
        return names;
    }

    static void values(Record r, Set<String> skip, List<Object> into) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (skip.contains(c.getName())) {
                continue;
            }
            try {
                into.add(c.getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass(), e);
            }
        }
    }

    static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    static boolean inWindow(java.time.LocalDateTime t, java.time.LocalDateTime from, java.time.LocalDateTime to) {
        return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }

    static java.time.LocalDateTime localOf(long localSeconds) {
        return java.time.LocalDateTime.ofEpochSecond(localSeconds, 0, java.time.ZoneOffset.UTC);
    }

    static java.time.LocalDateTime ofEpochSeconds(long utcSeconds) {
        return java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochSecond(utcSeconds), java.time.ZoneId.systemDefault());
    }
}
