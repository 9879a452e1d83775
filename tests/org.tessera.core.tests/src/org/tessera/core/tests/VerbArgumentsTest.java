// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.VerbArguments;

class VerbArgumentsTest {
    private static VerbArguments parse(String... args) {
        return VerbArguments.parse(List.of(args), Set.of("port", "db"), Set.of("watch"));
    }

    @Test
    void valuesFlagsAndPositionals() {
        VerbArguments a = parse("serve", "--port", "7000", "--db=jdbc:h2:mem:x", "--watch", "-5 5");
        assertEquals(List.of("serve", "-5 5"), a.positionals());
        assertEquals(7000, a.intValue("port", 1, 1, 65535));
        assertEquals("jdbc:h2:mem:x", a.value("db", null));
        assertTrue(a.flag("watch"));
    }

    @Test
    void doubleDashEndsOptions() {
        VerbArguments a = parse("--", "--port");
        assertEquals(List.of("--port"), a.positionals());
        assertFalse(a.flag("watch"));
    }

    @Test
    void mistakesAreUsageErrors() {
        assertThrows(UsageException.class, () -> parse("--prot", "1"));
        assertThrows(UsageException.class, () -> parse("--port"));
        assertThrows(UsageException.class, () -> parse("--watch=yes"));
        UsageException e = assertThrows(UsageException.class, () -> parse("--port", "x").intValue("port", 1, 1, 9));
        assertTrue(e.getMessage().contains("whole number"));
        assertThrows(UsageException.class, () -> parse("--port", "70000").intValue("port", 1, 1, 65535));
        assertThrows(UsageException.class, () -> parse("a", "b").requireOnePositional("file"));
    }
}
