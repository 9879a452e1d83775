// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.tessera.core.FrameRange;
import org.tessera.core.FrameRangeException;
import org.tessera.core.FrameRangeFormat;
import org.tessera.testing.OsgiServices;

/** The grammar as a DS service from the real framework: fails when DS did not run. */
class FrameRangeFormatServiceTest {

    @Test
    void serviceIsRegisteredByDeclarativeServices() {
        FrameRangeFormat format = OsgiServices.get(FrameRangeFormat.class);
        Bundle provider = FrameworkUtil.getBundle(format.getClass());
        assertEquals("org.tessera.core", provider.getSymbolicName());
        assertEquals("OSGI-INF/org.tessera.internal.core.FrameRangeFormatComponent.xml",
                provider.getHeaders().get("Service-Component"));
    }

    @Test
    void serviceParsesAndFormats() {
        FrameRangeFormat format = OsgiServices.get(FrameRangeFormat.class);
        FrameRange range = format.parse("1 10 2,20");
        assertEquals(List.of(1, 3, 5, 7, 9, 20), range.toList(100));
        assertEquals("1 10 2,20", format.format(range));
        assertEquals(FrameRange.GRAMMAR, format.grammar());
        assertThrows(FrameRangeException.class, () -> format.parse("x"));
    }
}
