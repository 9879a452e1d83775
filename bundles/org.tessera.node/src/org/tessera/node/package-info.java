// SPDX-License-Identifier: EPL-2.0
/**
 * The render node server that runs on each render PC ({@code tessera node serve}): the
 * {@link org.tessera.node.NodeServer} speaking the protocol of {@code docs/node-protocol.md}.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tessera.node;
