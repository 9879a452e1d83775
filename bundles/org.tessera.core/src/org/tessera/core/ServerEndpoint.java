// SPDX-License-Identifier: EPL-2.0
package org.tessera.core;

import java.net.URI;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A network server a Tessera component runs: a render node, the tracker's XML-RPC endpoint, the Envoy
 * gateway. Server components are created by factory configurations (Configuration Admin) and register this
 * service once they listen, with the bound URL in the service property {@link #URL} and the configuration's
 * {@code service.pid}. Verbs, views and other bundles find servers through the service registry
 * ({@link ServerEndpoints#start}); no process reads another's console.
 *
 * <p>A server that cannot start (port taken, bad settings) posts {@link #FAILED_TOPIC} on EventAdmin with
 * its {@code service.pid} and a {@link #MESSAGE} for the user.
 *
 * @since 0.3
 */
@ProviderType
public interface ServerEndpoint {
    /** Service property: the URL the server listens on, e.g. {@code http://127.0.0.1:41234/}. */
    String URL = "tessera.url";
    /** Service property: what the server is, one of the {@code KIND_} values or a third party's word. */
    String KIND = "tessera.kind";
    String KIND_NODE = "node";
    String KIND_TRACKER = "tracker";
    String KIND_GATEWAY = "gateway";

    /** EventAdmin topic of a configured server that failed to start; payload {@code service.pid}, {@link #MESSAGE}. */
    String FAILED_TOPIC = TesseraEvents.ROOT + "/server/FAILED";
    /** Payload key of {@link #FAILED_TOPIC}: why, in the user's words. */
    String MESSAGE = "message";

    /** The bound URL (the port is the real one when 0 was configured). */
    URI url();

    /** {@link #KIND}. */
    String kind();
}
