// SPDX-License-Identifier: EPL-2.0
package org.tessera.core;

/**
 * Roots of the EventAdmin topics Tessera posts. Each area declares its own topics under its root
 * in its API package, with the payload keys documented next to them.
 */
public final class TesseraEvents {
    /** Root of every Tessera topic. */
    public static final String ROOT = "org/tessera";
    /** Payload key present in every Tessera event: milliseconds since the epoch when it happened. */
    public static final String TIMESTAMP = "timestamp";

    private TesseraEvents() {
    }

    /** {@code org/tessera/<area>/<name>}. */
    public static String topic(String area, String name) {
        return ROOT + "/" + area + "/" + name;
    }
}
