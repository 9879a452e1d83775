// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cluster.core;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import org.tessera.cluster.core.ClusterEvents;
import org.tessera.core.TesseraEvents;

/** Posts {@link ClusterEvents} with their timestamp; a sink that fails never breaks the cluster. */
final class EventPoster {
    private static final System.Logger LOG = System.getLogger(EventPoster.class.getName());

    private final ClusterServiceImpl.EventSink sink;

    EventPoster(ClusterServiceImpl.EventSink sink) {
        this.sink = sink;
    }

    /** Posts the topic with key/value pairs. */
    void post(String topic, Object... keyValues) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        props.put(TesseraEvents.TIMESTAMP, System.currentTimeMillis());
        try {
            sink.post(topic, Collections.unmodifiableMap(props));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event " + topic + " not delivered: " + e);
        }
    }

    void progress(String action, int percent) {
        post(ClusterEvents.PROGRESS_CHANGED, ClusterEvents.ACTION, action, ClusterEvents.PROGRESS,
                Math.max(0, Math.min(100, percent)));
    }

    void finished(boolean success, boolean aborted) {
        post(ClusterEvents.PROGRESS_FINISHED, ClusterEvents.SUCCESS, success, ClusterEvents.ABORTED, aborted);
    }
}
