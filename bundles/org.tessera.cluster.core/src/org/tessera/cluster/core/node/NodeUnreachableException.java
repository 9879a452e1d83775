// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core.node;

/**
 * No answer came from the node: connection refused (no {@code tessera node serve} there), unknown host,
 * connect or request timeout, or the connection broke. Retrying later, or elsewhere, may help.
 */
public final class NodeUnreachableException extends NodeException {
    private static final long serialVersionUID = 1L;

    private final boolean timedOut;

    public NodeUnreachableException(String node, String message, boolean timedOut, Throwable cause) {
        super(node, 0, message, cause);
        this.timedOut = timedOut;
    }

    /** True when the node accepted the connection (or might have) but no answer came in time. */
    public boolean timedOut() {
        return timedOut;
    }
}
