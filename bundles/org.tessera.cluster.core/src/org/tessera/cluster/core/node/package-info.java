// SPDX-License-Identifier: EPL-2.0
/**
 * The one client of the node protocol (docs/node-protocol.md): {@link org.tessera.cluster.core.node.NodeClient}
 * and its typed errors ({@link org.tessera.cluster.core.node.NodeException} and subclasses). Used by the
 * cluster service (connect, claim, heartbeats, speed test), the tile renderer (scene upload, tiles) and
 * {@code tessera cluster status}; a third-party bundle that talks to nodes uses it too.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tessera.cluster.core.node;
