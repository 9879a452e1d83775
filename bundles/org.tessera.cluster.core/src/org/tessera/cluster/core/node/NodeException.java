// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core.node;

import java.io.IOException;

/**
 * A node protocol call failed. The subclass says what a caller can do about it: {@link NodeUnreachableException}
 * (nothing answered: the node is down, the host unknown, or the answer did not come in time),
 * {@link NodeAuthenticationException} (401: the token is missing or wrong), {@link NodeRequestException} (any
 * other 4xx: the node refused this request and said why), {@link NodeServerException} (5xx: the node failed).
 * Messages name the node and never contain the token.
 */
public class NodeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String node;
    private final int status;

    /**
     * @param node    the node's address ({@code host:port})
     * @param status  the HTTP status of the answer, or 0 when none came
     * @param message what went wrong, without the node's address
     */
    protected NodeException(String node, int status, String message, Throwable cause) {
        super(node + ": " + message, cause);
        this.node = node;
        this.status = status;
    }

    /** The node's address, {@code host:port}. */
    public String node() {
        return node;
    }

    /** The HTTP status of the node's answer, or 0 when no answer came. */
    public int status() {
        return status;
    }

    /** The message without the leading {@code host:port: }. */
    public String reason() {
        String m = getMessage();
        return m.startsWith(node + ": ") ? m.substring(node.length() + 2) : m;
    }
}
