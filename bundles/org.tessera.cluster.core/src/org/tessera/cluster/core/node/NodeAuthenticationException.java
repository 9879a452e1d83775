// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core.node;

/**
 * The node answered 401: it needs an access token and the one sent was missing or wrong. Set the master's
 * node token ({@code Credentials} name {@code cluster.token}: Preferences → Render Nodes in the workbench,
 * {@code TESSERA_CLUSTER_TOKEN} or {@code ~/.tessera/secrets/cluster.token} headless).
 */
public final class NodeAuthenticationException extends NodeException {
    private static final long serialVersionUID = 1L;

    public NodeAuthenticationException(String node) {
        super(node, 401, "access token refused (401): give the master the node's token (Credentials 'cluster.token', "
                + "e.g. TESSERA_CLUSTER_TOKEN)", null);
    }
}
