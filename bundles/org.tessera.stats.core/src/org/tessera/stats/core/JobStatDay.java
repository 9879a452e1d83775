// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.util.List;
import java.util.Optional;

/**
 * One user's, project's or render app's stats for one day ({@code _jobStatDay}).
 *
 * @param name the user, project or render app
 * @param type 0 user, 1 project, 2 render app ({@link DailyStats#USERS} ...)
 * @param slots {@link DailyStats#SLOTS} slots of 15 minutes, index 0 = 00:00-00:15; unset slots have
 *        {@link JobStat#slotSet()} false
 */
public record JobStatDay(String name, int type, List<JobStat> slots) {

    public JobStatDay {
        slots = List.copyOf(slots);
    }

    /** The slot at {@code idx}, empty when that slot holds no data. */
    public Optional<JobStat> getTimeSlot(int idx) {
        JobStat s = slots.get(idx);
        return s.slotSet() ? Optional.of(s) : Optional.empty();
    }

    /** Number of slots (96: 24 h / 15 min). */
    public int timeSlotCount() {
        return slots.size();
    }
}
