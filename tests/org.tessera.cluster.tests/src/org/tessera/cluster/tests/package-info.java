// SPDX-License-Identifier: EPL-2.0
/**
 * Tests of clustering: configuration parsers (table, round-trip and generated-corpus fuzz tests), the
 * ClusterService against real node server processes on loopback, and the cluster/node verbs.
 */
package org.tessera.cluster.tests;
