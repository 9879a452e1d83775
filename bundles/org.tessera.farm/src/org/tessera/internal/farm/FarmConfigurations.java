// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.farm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.tessera.core.ServerEndpoints;

/**
 * The configurations a farm file put into Configuration Admin: applying a new reading of the file creates
 * what was added, updates what changed and deletes what was removed, and nothing else.
 */
final class FarmConfigurations {
    /** What one application of the file did, PIDs in the file's order. */
    record Changes(List<String> added, List<String> changed, List<String> removed) {
        boolean isEmpty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (!added.isEmpty()) {
                parts.add("added " + String.join(", ", added));
            }
            if (!changed.isEmpty()) {
                parts.add("changed " + String.join(", ", changed));
            }
            if (!removed.isEmpty()) {
                parts.add("removed " + String.join(", ", removed));
            }
            return parts.isEmpty() ? "no changes" : String.join("; ", parts);
        }
    }

    private final ConfigurationAdmin configAdmin;
    private final Map<String, Hashtable<String, Object>> applied = new LinkedHashMap<>();

    FarmConfigurations(ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    /** Makes Configuration Admin hold exactly {@code wanted} of the configurations this farm manages. */
    synchronized Changes apply(Map<String, Hashtable<String, Object>> wanted) throws IOException {
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String pid : List.copyOf(applied.keySet())) {
            if (!wanted.containsKey(pid)) {
                delete(pid);
                applied.remove(pid);
                removed.add(pid);
            }
        }
        for (var e : wanted.entrySet()) {
            Hashtable<String, Object> before = applied.get(e.getKey());
            if (before != null && FarmFile.same(before, e.getValue())) {
                continue;
            }
            configuration(e.getKey()).updateIfDifferent(e.getValue());
            applied.put(e.getKey(), e.getValue());
            (before == null ? added : changed).add(e.getKey());
        }
        return new Changes(Collections.unmodifiableList(added), Collections.unmodifiableList(changed),
                Collections.unmodifiableList(removed));
    }

    /** Deletes every configuration of the farm (its servers stop). */
    synchronized Changes clear() throws IOException {
        return apply(Map.of());
    }

    private Configuration configuration(String pid) throws IOException {
        int tilde = pid.indexOf('~');
        return tilde < 0 ? configAdmin.getConfiguration(pid, "?")
                : configAdmin.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?");
    }

    private void delete(String pid) throws IOException {
        Configuration[] found;
        try {
            found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + ServerEndpoints.escape(pid) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IOException("bad PID " + pid, e);
        }
        if (found != null) {
            for (Configuration c : found) {
                c.delete();
            }
        }
    }
}
