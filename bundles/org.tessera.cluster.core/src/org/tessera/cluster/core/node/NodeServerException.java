// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core.node;

/**
 * The node answered with a 5xx status: 503 when the engine is unavailable there (e.g. no POV-Ray or no
 * sandbox), 500 for other failures. {@link #reason()} is the node's own {@code error} text. Another node
 * may succeed.
 */
public final class NodeServerException extends NodeException {
    private static final long serialVersionUID = 1L;

    public NodeServerException(String node, int status, String nodeMessage) {
        super(node, status, nodeMessage, null);
    }
}
