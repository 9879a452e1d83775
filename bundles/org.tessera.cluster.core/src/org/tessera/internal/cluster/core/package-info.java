// SPDX-License-Identifier: EPL-2.0
/**
 * Implementation of clustering: host-list and XML parsers, the ClusterService component and its
 * state machine, the HTTP/JSON node client, and the {@code tessera cluster} verb. Not API.
 */
package org.tessera.internal.cluster.core;
