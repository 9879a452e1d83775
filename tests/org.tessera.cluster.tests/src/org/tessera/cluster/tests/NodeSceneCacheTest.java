// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tessera.internal.node.NodeState;
import org.tessera.node.NodeSettings;

/** A node's scene cache stays bounded (four times the upload limit), dropping the least recently used first. */
class NodeSceneCacheTest {
    private static final int MB = 1024 * 1024;

    @Test
    void theCacheKeepsFourUploadLimitsAndDropsTheLeastRecentlyUsed() {
        NodeState node = new NodeState(new NodeSettings("127.0.0.1", 0, null, 0, 1, 1), "cache-node");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String sha = String.format("%064x", i);
            names.add(sha);
            node.putScene(sha, new byte[MB - 1024]);
            if (i == 2) {
                assertNotNull(node.scene(names.get(0)), "used again: the oldest becomes the most recent");
            }
        }
        int kept = 0;
        long bytes = 0;
        for (String sha : names) {
            byte[] s = node.scene(sha);
            if (s != null) {
                kept++;
                bytes += s.length;
            }
        }
        assertTrue(bytes <= 4L * MB, "at most 4 MB kept, not " + bytes);
        assertEquals(4, kept, "four scenes of just under 1 MB fit");
        assertNotNull(node.scene(names.get(7)), "the newest is kept");
        assertNull(node.scene(names.get(1)), "the least recently used went first");
    }
}
