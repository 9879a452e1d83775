// SPDX-License-Identifier: EPL-2.0
/**
 * A small embedded HTTP server for Tessera's own servers (render tracker, node server, Envoy gateway),
 * built on Jetty 12's core {@code Handler} API. An {@link org.tessera.http.HttpEndpoint} owns its host,
 * port, access token, body-size limit and thread pool; {@link org.tessera.http.HttpRoute}s answer
 * requests through an {@link org.tessera.http.HttpExchange} with blocking, byte-counted body reads;
 * {@link org.tessera.http.HttpBodyRoute}s get the whole body collected without blocking a thread (0.2).
 */
@org.osgi.annotation.versioning.Version("0.4.0")
package org.tessera.http;
