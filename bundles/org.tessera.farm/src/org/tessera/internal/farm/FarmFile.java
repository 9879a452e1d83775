// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.farm;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.felix.cm.json.io.ConfigurationReader;
import org.apache.felix.cm.json.io.ConfigurationResource;
import org.apache.felix.cm.json.io.Configurations;

import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParsingException;

/**
 * One read of a farm file: an OSGi Configurator JSON resource ({@code {":configurator:resource-version": 1,
 * "org.tessera.node.server~a": {"port": 0}, ...}}), parsed with Felix's {@code cm.json} reader, the library
 * the Configurator itself uses. Keys with {@code ~} are factory configurations ({@code factoryPid~name}).
 */
final class FarmFile {
    private FarmFile() {
    }

    /** Why a farm file cannot be used: the file, the line and column when the JSON is broken, and the reason. */
    static final class FarmFileException extends Exception {
        private static final long serialVersionUID = 1L;

        FarmFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The configurations of {@code text} (read from {@code file}), by PID, in the file's order.
     *
     * @throws FarmFileException naming the file and position of a JSON error, or the configuration the reader
     *                           refused (a wrong value type, a property that is not a configuration)
     */
    static Map<String, Hashtable<String, Object>> parse(Path file, byte[] bytes) throws FarmFileException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new FarmFileException(file + ": the file is empty (a farm file is one JSON object)", null);
        }
        ConfigurationReader reader;
        ConfigurationResource resource;
        try {
            // "as a bundle resource": :configurator:symbolic-name and :configurator:version are optional (a
            // farm file belongs to no bundle); :configurator:resource-version, when given, must be 1
            reader = Configurations.buildReader().withIdentifier(file.toString()).verifyAsBundleResource(true)
                    .build(new StringReader(text));
            resource = reader.readConfigurationResource();
        } catch (IOException | RuntimeException e) {
            throw new FarmFileException(position(file, e) + describe(e).replace(file + " : ", ""), e);
        }
        List<String> ignored = reader.getIgnoredErrors();
        if (!ignored.isEmpty()) {
            throw new FarmFileException(file + ": " + String.join("; ", ignored).replace(file + " : ", ""), null);
        }
        Map<String, Hashtable<String, Object>> result = new LinkedHashMap<>();
        for (var e : resource.getConfigurations().entrySet()) {
            String pid = e.getKey();
            int tilde = pid.indexOf('~');
            if (pid.isBlank() || tilde == 0 || tilde == pid.length() - 1) {
                throw new FarmFileException(file + ": '" + pid + "' is not a configuration PID (use \"pid\" or "
                        + "\"factoryPid~name\")", null);
            }
            result.put(pid, e.getValue());
        }
        return result;
    }

    /** {@code file:line:column: } of the JSON error in {@code e}'s causes, or {@code file: }. */
    private static String position(Path file, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonParsingException p && p.getLocation() != null) {
                JsonLocation l = p.getLocation();
                return file + ":" + l.getLineNumber() + ":" + l.getColumnNumber() + ": ";
            }
        }
        return file + ": ";
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonParsingException p && p.getMessage() != null) {
                return "invalid JSON: " + p.getMessage();
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Whether two configurations hold the same properties (arrays compared by content). */
    static boolean same(Map<String, Object> a, Map<String, Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (var e : a.entrySet()) {
            if (!b.containsKey(e.getKey()) || !Objects.deepEquals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
