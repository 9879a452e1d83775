// SPDX-License-Identifier: EPL-2.0
/**
 * The Cluster view: the configuration as a host list or XML, validated as typed; start, stop and
 * abort as a job with the connection progress; the node table fed by the cluster's events; the
 * multipleServersFound / notEnoughMemoryFound questions.
 */
package org.tessera.internal.cluster.ui;
