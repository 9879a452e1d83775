// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tessera.cluster.core.ClusterConfig;
import org.tessera.cluster.core.ClusterConfigException;
import org.tessera.cluster.core.ClusterNetwork;
import org.tessera.cluster.core.ClusterNode;
import org.tessera.cluster.core.ClusterOptions;
import org.tessera.cluster.core.DisplaySettings;

class ClusterXmlTest {
    static final String HEAD = "<cluster xmlns=\"urn:tessera:cluster:1\" version=\"1\">";

    @Test
    void hostListRoundTripsThroughXml() {
        ClusterConfig c = ClusterConfig.parseHostList("pc1 pc2 master {node01 - node03} [::1]:7702 192.168.0.1");
        String xml = c.toXml();
        assertTrue(xml.contains("<network name=\"master\">"), xml);
        assertTrue(xml.contains("<node host=\"node02\" port=\"7701\""), xml);
        assertTrue(xml.contains("host=\"::1\" port=\"7702\""), xml);
        ClusterConfig back = ClusterConfig.parse(xml);
        assertEquals(c, back);
        assertEquals(xml, back.toXml());
    }

    @Test
    void everyFieldRoundTrips() {
        ClusterConfig c = new ClusterConfig(
                new ClusterOptions(ClusterOptions.DataCompression.HIGH, ClusterOptions.ImageCompression.LOSSY, 123, 4567, 89),
                List.of(new ClusterNetwork("a", List.of(new ClusterNode("h1", 9000, 12, false), ClusterNode.of("h2", 1))),
                        new ClusterNetwork("empty", List.of())),
                new DisplaySettings(0.000123, 1e8, true, true, 3, 7));
        String xml = c.toXml();
        assertEquals(c, ClusterConfig.parse(xml));
        assertTrue(xml.contains("eyeSeparation=\"0.000123\""), xml);
        assertTrue(xml.contains("zeroParallax=\"100000000\""), xml);
    }

    @Test
    void defaultsFillMissingAttributes() {
        ClusterConfig c = ClusterConfig.parse(HEAD + "<network name=\"n\"><node host=\"pc1\"/></network></cluster>");
        assertEquals(ClusterOptions.DEFAULT, c.options());
        assertEquals(DisplaySettings.DEFAULT, c.display());
        assertEquals(List.of(ClusterNode.of("pc1", 7701)), c.nodes());
    }

    @Test
    void minimalDocumentIsEmpty() {
        assertEquals(ClusterConfig.EMPTY, ClusterConfig.parse("  \n" + HEAD + "</cluster>"));
        assertEquals(ClusterConfig.EMPTY.toXml(), ClusterConfig.parse(ClusterConfig.EMPTY.toXml()).toXml());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<cluster version=\"1\"/>",
        "<cluster xmlns=\"urn:other\" version=\"1\"/>",
        "<cluster xmlns=\"urn:tessera:cluster:1\"/>",
        "<cluster xmlns=\"urn:tessera:cluster:1\" version=\"2\"/>",
        HEAD + "<network/></cluster>",
        HEAD + "<network name=\"bad name\"/></cluster>",
        HEAD + "<network name=\"a\"/><network name=\"a\"/></cluster>",
        HEAD + "<network name=\"a\"><node/></network></cluster>",
        HEAD + "<network name=\"a\"><node host=\"pc1\" port=\"0\"/></network></cluster>",
        HEAD + "<network name=\"a\"><node host=\"pc1\" port=\"65536\"/></network></cluster>",
        HEAD + "<network name=\"a\"><node host=\"pc1\" port=\"x\"/></network></cluster>",
        HEAD + "<network name=\"a\"><node host=\"pc1\" threads=\"-1\"/></network></cluster>",
        HEAD + "<network name=\"a\"><node host=\"pc1\" enabled=\"maybe\"/></network></cluster>",
        HEAD + "<network name=\"a\"><node host=\"pc1\" extra=\"1\"/></network></cluster>",
        HEAD + "<network name=\"a\"><node host=\"b@d\"/></network></cluster>",
        HEAD + "<network name=\"a\"><node host=\"-x\"/></network></cluster>",
        HEAD + "<network name=\"a\"><node host=\"1:2\"/></network></cluster>",
        HEAD + "<network name=\"a\"><node host=\"pc1\"/><node host=\"PC1\"/></network></cluster>",
        HEAD + "<network name=\"a\"><node host=\"pc1\"/></network><network name=\"b\"><node host=\"pc1\"/></network></cluster>",
        HEAD + "<display eyeSeparation=\"-1\"/></cluster>",
        HEAD + "<display eyeSeparation=\"NaN\"/></cluster>",
        HEAD + "<display eyeSeparation=\"INF\"/></cluster>",
        HEAD + "<display zeroParallax=\"0\"/></cluster>",
        HEAD + "<display rows=\"0\"/></cluster>",
        HEAD + "<display columns=\"1025\"/></cluster>",
        HEAD + "<options dataCompression=\"ultra\"/></cluster>",
        HEAD + "<options imageCompression=\"LOSSY\"/></cluster>",
        HEAD + "<options heartbeatMillis=\"0\"/></cluster>",
        HEAD + "<display/><options/></cluster>",
        HEAD + "<options/><options/></cluster>",
        HEAD + "<unknown/></cluster>",
        HEAD + "text</cluster>",
        HEAD + "<network name=\"a\">",
        HEAD + "</network></cluster>",
        "<cluster",
        "<",
        "<?xml version=\"1.0\"?><!DOCTYPE cluster [<!ENTITY x \"y\">]>" + HEAD + "</cluster>",
        "<!DOCTYPE cluster SYSTEM \"file:///etc/passwd\">" + HEAD + "</cluster>",
        "<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]><c>&b;</c>",
        HEAD + "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\"/></cluster>",
        HEAD + "</cluster><cluster/>",
    })
    void invalidDocumentsAreRefusedWithPosition(String xml) {
        ClusterConfigException e = assertThrows(ClusterConfigException.class, () -> ClusterConfig.parse(xml));
        assertFalse(e.getMessage().isBlank());
        if (!xml.equals("<")) {
            assertTrue(e.line() >= 1, "no line in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("root:"), "file content leaked: " + e.getMessage());
    }

    @Test
    void errorNamesTheLine() {
        String xml = HEAD + "\n<network name=\"a\">\n<node host=\"ok\"/>\n<node host=\"b@d\"/>\n</network></cluster>";
        ClusterConfigException e = assertThrows(ClusterConfigException.class, () -> ClusterConfig.parse(xml));
        assertEquals(4, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("b@d"), e.getMessage());
    }

    @Test
    void bracketedIpv6InXmlIsAccepted() {
        ClusterConfig c = ClusterConfig.parse(HEAD + "<network name=\"a\"><node host=\"[::1]\" port=\"7702\"/></network></cluster>");
        assertEquals("[::1]:7702", c.nodes().get(0).address());
    }
}
