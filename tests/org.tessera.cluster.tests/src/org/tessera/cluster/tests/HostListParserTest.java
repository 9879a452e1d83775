// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tessera.cluster.core.ClusterConfig;
import org.tessera.cluster.core.ClusterConfigException;
import org.tessera.cluster.core.ClusterNetwork;
import org.tessera.cluster.core.ClusterNode;

class HostListParserTest {

    private static String addresses(String hostList) {
        return String.join(" ", ClusterConfig.parseHostList(hostList).nodes().stream().map(ClusterNode::address).toList());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "PC1 PC2 PC3                 | PC1:7701 PC2:7701 PC3:7701",
        "PC1, PC2, PC3               | PC1:7701 PC2:7701 PC3:7701",
        "pc1,pc2;pc3                 | pc1:7701 pc2:7701 pc3:7701",
        "PC1 - PC4                   | PC1:7701 PC2:7701 PC3:7701 PC4:7701",
        "node01 - node03             | node01:7701 node02:7701 node03:7701",
        "node08 - node11             | node08:7701 node09:7701 node10:7701 node11:7701",
        "pc8 - pc11                  | pc8:7701 pc9:7701 pc10:7701 pc11:7701",
        "n001 - n003                 | n001:7701 n002:7701 n003:7701",
        "192.168.0.9 - 192.168.0.11  | 192.168.0.9:7701 192.168.0.10:7701 192.168.0.11:7701",
        "localhost:7701 - localhost:7703 | localhost:7701 localhost:7702 localhost:7703",
        "localhost 127.0.0.1 ::1     | localhost:7701 127.0.0.1:7701 [::1]:7701",
        "[::1]:7702 [fe80::1%eth0]   | [::1]:7702 [fe80::1%eth0]:7701",
        "2001:db8::8a2e:370:7334     | [2001:db8::8a2e:370:7334]:7701",
        "::ffff:192.168.1.1          | [::ffff:192.168.1.1]:7701",
        "host.example.com:80         | host.example.com:80",
        "render_pc-1                 | render_pc-1:7701",
        "'  '                        | ",
        "a:65535 b:1                 | a:65535 b:1",
        "pc1 - pc1                   | pc1:7701",
    })
    void validLists(String input, String expected) {
        assertEquals(expected == null ? "" : expected, addresses(input));
    }

    @Test
    void groupsBecomeNetworks() {
        ClusterConfig c = ClusterConfig.parseHostList("solo Master1 {PC1 PC2 PC3}\nwall { w01 - w04 } extra");
        List<ClusterNetwork> nets = c.networks();
        assertEquals(List.of("default", "Master1", "wall"), nets.stream().map(ClusterNetwork::name).toList());
        assertEquals(List.of("solo", "extra"), nets.get(0).nodes().stream().map(ClusterNode::host).toList());
        assertEquals(3, nets.get(1).nodes().size());
        assertEquals("w04", nets.get(2).nodes().get(3).host());
        assertEquals(9, c.nodes().size());
    }

    @Test
    void groupWithoutSpaceBeforeBrace() {
        assertEquals(2, ClusterConfig.parseHostList("m{a b}").nodes().size());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "pc1 pc1                     | 1 | 5  | pc1",
        "pc1 PC1                     | 1 | 5  | PC1",
        "pc4 - pc1                   | 1 | 7  | pc1",
        "pc1 -                       | 1 | 5  | -",
        "- pc4                       | 1 | 1  | -",
        "pc1 - host4                 | 1 | 7  | host4",
        "pc - pc4                    | 1 | 1  | pc",
        "a:0                         | 1 | 1  | a:0",
        "a:65536                     | 1 | 1  | a:65536",
        "a:port                      | 1 | 1  | a:port",
        "a:                          | 1 | 1  | a:",
        "300.1.1.1                   | 1 | 1  | 300.1.1.1",
        "1.2.3                       | 1 | 1  | 1.2.3",
        "bad!host                    | 1 | 1  | bad!host",
        "-lead                       | 1 | 1  | -lead",
        "trail-                      | 1 | 1  | trail-",
        "a..b                        | 1 | 1  | a..b",
        "[::1                        | 1 | 1  | [::1",
        "[pc1]:7701                  | 1 | 1  | [pc1]:7701",
        "[::1]x                      | 1 | 1  | [::1]x",
        "1:2:3:4:5:6:7:8:9           | 1 | 1  | 1:2:3:4:5:6:7:8:9",
        "1::2::3                     | 1 | 1  | 1::2::3",
        "::1 - ::4                   | 1 | 7  | ::4",
        "g { a { b } }               | 1 | 7  | {",
        "g { }                       | 1 | 1  | g",
        "g { a                       | 1 | 1  | g",
        "a }                         | 1 | 3  | }",
        "{ a }                       | 1 | 1  | {",
        "g {a} g {b}                 | 1 | 7  | g",
        "n0 - n99999                 | 1 | 6  | n99999",
        "h:1 - h:70000               | 1 | 7  | h:70000",
        "h:5 - h:3                   | 1 | 7  | h:3",
        "h:5 - k:6                   | 1 | 7  | k:6",
        "10 - 12                     | 1 | 1  | 10",
    })
    void invalidListsNameTheToken(String input, int line, int column, String token) {
        ClusterConfigException e = assertThrows(ClusterConfigException.class, () -> ClusterConfig.parseHostList(input));
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertEquals(token, e.token(), e.getMessage());
        assertTrue(e.getMessage().startsWith("line " + line + ", column " + column + ": "), e.getMessage());
    }

    @Test
    void errorOnLaterLine() {
        ClusterConfigException e = assertThrows(ClusterConfigException.class,
                () -> ClusterConfig.parseHostList("pc1 pc2\n  pc3\n   b@d"));
        assertEquals(3, e.line());
        assertEquals(4, e.column());
        assertEquals("b@d", e.token());
    }

    @Test
    void paddingFollowsStart() {
        assertEquals("n9:7701 n10:7701", addresses("n9 - n10"));
        assertEquals("n09:7701 n10:7701", addresses("n09 - n10"));
        assertEquals("n098:7701 n099:7701 n100:7701", addresses("n098 - n100"));
    }

    @Test
    void sizeIsBounded() {
        assertEquals(4096, ClusterConfig.parseHostList("n1 - n4096").nodes().size());
        assertThrows(ClusterConfigException.class, () -> ClusterConfig.parseHostList("n1 - n4097"));
        assertThrows(ClusterConfigException.class, () -> ClusterConfig.parseHostList("a1 - a4000 b1 - b200"));
    }
}
