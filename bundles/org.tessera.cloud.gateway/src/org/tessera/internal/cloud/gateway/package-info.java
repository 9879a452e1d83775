// SPDX-License-Identifier: EPL-2.0
/**
 * The Envoy-compatible gateway: a local-agent style HTTP service on the Envoy paths that
 * authenticates users against a credits ledger, transfers project files into the farm's project
 * store, turns submissions into render jobs and downloads results into watch folders; plus the
 * {@code tessera gateway} verb.
 */
package org.tessera.internal.cloud.gateway;
