// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.tessera.tracker.core.JobId;

/**
 * Mutable state of one project. Its monitor guards its frames, so a reader that holds it sees every
 * change whose event id is at most {@link #lastEventId}.
 */
final class TrackedProject {
    final String name;
    final boolean generateIfds;
    final JobId jobId;
    final long createdMs;
    /** By frame number, in order (answers list frames in order); add frames with {@link #add}. */
    final Map<Integer, TrackedFrame> frames = new TreeMap<>();
    /** The same frames for lookups: a hash probe instead of a walk down a tree of scattered nodes. */
    private final Map<Integer, TrackedFrame> index = new HashMap<>();
    long lastEventId;
    String error;
    /** False once replaced or removed; writers that raced with that must look the project up again. */
    boolean live = true;

    TrackedProject(String name, boolean generateIfds, JobId jobId, long createdMs) {
        this.name = name;
        this.generateIfds = generateIfds;
        this.jobId = jobId;
        this.createdMs = createdMs;
    }

    void add(TrackedFrame f) {
        frames.put(f.number, f);
        index.put(f.number, f);
    }

    /** The frame with this number, or null. */
    TrackedFrame frame(int number) {
        return index.get(number);
    }

    Row row() {
        return new Row(name, generateIfds, jobId, createdMs, error);
    }

    /** What the store keeps of a project. */
    record Row(String name, boolean generateIfds, JobId jobId, long createdMs, String error) {
    }
}
