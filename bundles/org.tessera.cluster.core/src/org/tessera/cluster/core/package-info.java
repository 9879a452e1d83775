// SPDX-License-Identifier: EPL-2.0
/**
 * Clustering API (VRED's {@code vrClusterService}): the {@link org.tessera.cluster.core.ClusterService},
 * the cluster configuration model with its host-list and XML forms, and the EventAdmin topics of the
 * seed's signals ({@link org.tessera.cluster.core.ClusterEvents}).
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.tessera.cluster.core;
