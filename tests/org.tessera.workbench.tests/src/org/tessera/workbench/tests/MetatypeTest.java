// SPDX-License-Identifier: EPL-2.0
package org.tessera.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.tessera.testing.OsgiServices;

/**
 * Every Tessera component with a typed configuration ({@code Config} annotation) in this runtime is described
 * by Metatype with exactly its attributes and defaults. The metatype files are written by hand (Tycho's DS
 * step does not generate them), so this is what keeps the two in step.
 */
class MetatypeTest {
    @Test
    void everyTypedConfigurationHasTheSameMetatype() throws Exception {
        ServiceComponentRuntime scr = OsgiServices.get(ServiceComponentRuntime.class);
        MetaTypeService metatype = OsgiServices.get(MetaTypeService.class);
        Set<String> checked = new TreeSet<>();
        for (ComponentDescriptionDTO c : scr.getComponentDescriptionDTOs()) {
            if (!c.name.startsWith("org.tessera.") || c.configurationPid == null) {
                continue;
            }
            Bundle bundle = OsgiServices.context().getBundle(c.bundle.id);
            Class<?> config;
            try {
                config = bundle.loadClass(c.implementationClass + "$Config");
            } catch (ClassNotFoundException untyped) {
                continue;
            }
            String pid = c.configurationPid[0];
            MetaTypeInformation info = metatype.getMetaTypeInformation(bundle);
            ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
            assertNotNull(ocd, "no metatype for " + pid + " in " + bundle.getSymbolicName());
            Map<String, String> declared = new TreeMap<>();
            for (Method m : config.getDeclaredMethods()) {
                declared.put(m.getName(), text(m.getDefaultValue()));
            }
            Map<String, String> described = new TreeMap<>();
            for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
                String[] d = ad.getDefaultValue();
                described.put(ad.getID(), d == null ? "" : String.join(",", d));
            }
            assertEquals(declared, described, pid + ": the metatype file and " + config.getName());
            checked.add(pid);
        }
        assertTrue(checked.containsAll(Set.of("org.tessera.cluster", "org.tessera.render.tiles", "org.tessera.tracker",
                "org.tessera.tracker.endpoint", "org.tessera.stats.recorder")), "checked: " + checked);
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value.getClass().isArray()) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < Array.getLength(value); i++) {
                s.append(i == 0 ? "" : ",").append(Array.get(value, i));
            }
            return s.toString();
        }
        return value.toString();
    }
}
