// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed words of a verb: {@code --name value}, {@code --name=value}, {@code --flag}, and
 * positionals; {@code --} ends options. Options a verb did not declare are a {@link UsageException},
 * so typos never pass silently.
 */
public final class VerbArguments {
    private final Map<String, String> values;
    private final Set<String> flags;
    private final List<String> positionals;

    private VerbArguments(Map<String, String> values, Set<String> flags, List<String> positionals) {
        this.values = values;
        this.flags = flags;
        this.positionals = positionals;
    }

    /**
     * @param valueOptions option names (without {@code --}) that take a value
     * @param flagOptions option names that take none
     */
    public static VerbArguments parse(List<String> args, Set<String> valueOptions, Set<String> flagOptions) {
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        List<String> positionals = new ArrayList<>();
        boolean optionsDone = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsDone || !arg.startsWith("--")) {
                positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsDone = true;
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (valueOptions.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                values.put(name, value);
            } else if (flagOptions.contains(name)) {
                if (value != null) {
                    throw new UsageException("option --" + name + " takes no value");
                }
                flags.add(name);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return new VerbArguments(values, flags, Collections.unmodifiableList(positionals));
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String value(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** An integer option within bounds, or the fallback when absent. */
    public int intValue(String name, int fallback, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, not \"" + v + "\"");
        }
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public List<String> positionals() {
        return positionals;
    }

    /** The single positional argument named {@code what}, or a usage error. */
    public String requireOnePositional(String what) {
        if (positionals.isEmpty()) {
            throw new UsageException("missing " + what);
        }
        if (positionals.size() > 1) {
            throw new UsageException("expected one " + what + ", got " + positionals.size() + ": " + positionals);
        }
        return positionals.get(0);
    }
}
