// SPDX-License-Identifier: EPL-2.0
/**
 * Implementation of the Envoy client: JSON bodies of the protocol, the HTTP transport with retries,
 * and the {@code tessera submit} / {@code tessera cloud} verbs.
 */
package org.tessera.internal.cloud.core;
