// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core.node;

import java.util.List;

/**
 * The node refused the request with a 4xx status other than 401 and said why ({@link #reason()} is the
 * node's own {@code error} text): 400 bad request, 402 no licence seat, 404 unknown scene or engine, 409
 * held by another master ({@link #heldBy()}), 413 too large, 422 scene error. Sending the same request
 * again does not help.
 */
public final class NodeRequestException extends NodeException {
    private static final long serialVersionUID = 1L;

    private final List<String> heldBy;

    public NodeRequestException(String node, int status, String nodeMessage, List<String> heldBy) {
        super(node, status, nodeMessage, null);
        this.heldBy = heldBy == null ? List.of() : List.copyOf(heldBy);
    }

    /** On a refused claim (409): the masters holding the node; otherwise empty. */
    public List<String> heldBy() {
        return heldBy;
    }
}
