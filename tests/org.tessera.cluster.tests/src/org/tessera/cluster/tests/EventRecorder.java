// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.function.Predicate;

import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.tessera.cluster.core.ClusterEvents;
import org.tessera.testing.OsgiServices;

/** Records cluster events delivered by the real EventAdmin. */
final class EventRecorder implements EventHandler, AutoCloseable {
    private final List<Event> events = new ArrayList<>();
    private final ServiceRegistration<EventHandler> registration;

    EventRecorder() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, ClusterEvents.ROOT + "/*");
        registration = OsgiServices.context().registerService(EventHandler.class, this, props);
    }

    @Override
    public synchronized void handleEvent(Event event) {
        events.add(event);
        notifyAll();
    }

    synchronized List<Event> all(String topic) {
        return events.stream().filter(e -> e.getTopic().equals(topic)).toList();
    }

    synchronized void clear() {
        events.clear();
    }

    /** Waits for an event on the topic that matches. */
    synchronized Event await(String topic, Predicate<Event> matcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Event e : events) {
                if (e.getTopic().equals(topic) && matcher.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no " + topic + " within " + timeout + "; saw " + events.stream()
                        .map(e -> e.getTopic().substring(ClusterEvents.ROOT.length()) + props(e)).toList());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    Event await(String topic, Duration timeout) {
        return await(topic, e -> true, timeout);
    }

    private static String props(Event e) {
        StringBuilder sb = new StringBuilder("{");
        for (String k : e.getPropertyNames()) {
            if (!k.equals("event.topics") && !k.equals(ClusterEvents.CONFIG)) {
                sb.append(k).append('=').append(e.getProperty(k)).append(' ');
            }
        }
        return sb.append('}').toString();
    }

    @Override
    public void close() {
        registration.unregister();
    }
}
