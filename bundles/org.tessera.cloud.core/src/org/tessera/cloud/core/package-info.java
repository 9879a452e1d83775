// SPDX-License-Identifier: EPL-2.0
/**
 * The Envoy client: talks the GridMarkets Envoy HTTP protocol (a local agent at
 * {@code http://localhost:8090}, or a Tessera gateway) to authenticate, discover products and
 * machine types, upload project files, submit projects of {@link org.tessera.cloud.core.Job}s and
 * poll their status. Failures are typed: {@link org.tessera.cloud.core.AuthenticationError},
 * {@link org.tessera.cloud.core.InsufficientCreditsError},
 * {@link org.tessera.cloud.core.InvalidRequestError} and {@link org.tessera.cloud.core.APIError}.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tessera.cloud.core;
