// SPDX-License-Identifier: EPL-2.0
package org.tessera.cluster.core;

/**
 * The HTTP/JSON protocol between a master and a node server ({@code docs/node-protocol.md}): paths,
 * headers and limits shared by {@code org.tessera.node} (server) and this bundle (client). Bodies are
 * UTF-8 JSON unless a path says otherwise; errors are {@code {"error": "..."}} with a 4xx/5xx status.
 */
public final class NodeProtocol {
    /** Protocol version, reported by {@link #INFO} as {@code protocol}: {@value}. */
    public static final int VERSION = 1;
    /** GET: {@link NodeInfo}. Sending {@link #MASTER_HEADER} renews that master's claim. */
    public static final String INFO = "/v1/info";
    /** GET: answers {@code pong}; the speed test's latency probe. */
    public static final String PING = "/v1/ping";
    /** POST {@code {"master","shared","leaseMillis"}}: 200 {@code {"masters":[..]}}, 409 {@code {"error","heldBy":[..]}}. */
    public static final String CLAIM = "/v1/claim";
    /** POST {@code {"master"}}: drops the claim and any licence of that master. 200. */
    public static final String RELEASE = "/v1/release";
    /** POST {@code {"master"}}: the node checks out one of its own licence seats. 200, or 402 when it has none left. */
    public static final String LICENSE_CHECKOUT = "/v1/license/checkout";
    /** POST {@code {"master"}}: returns the seat. 200. */
    public static final String LICENSE_RELEASE = "/v1/license/release";
    /** POST {@code {"showTiles","showTestImage","eyeSeparation","zeroParallax"}}: display settings. 200. */
    public static final String DISPLAY = "/v1/display";
    /** GET {@code ?bytes=N}: N bytes of payload (octet-stream); POST: drains the body, {@code {"received":N}}. */
    public static final String SPEEDTEST = "/v1/speedtest";
    /** PUT/GET {@code /v1/scenes?sha256=<64 hex>}: content-addressed scene store. PUT answers 201 (new), 200 (cached) or 400 on a hash mismatch. */
    public static final String SCENES = "/v1/scenes";
    /** POST: a tile render request, answered with the tile's pixels (see docs/node-protocol.md). */
    public static final String RENDER = "/v1/render";
    /** GET {@code ?width=&height=}: the node's test image, binary PPM (P6). */
    public static final String TEST_IMAGE = "/v1/testimage";
    /** Header naming the master that sends a request: {@value}. */
    public static final String MASTER_HEADER = "X-Tessera-Master";
    /** Largest speed-test payload a node sends or accepts, bytes: {@value}. */
    public static final int MAX_SPEEDTEST_BYTES = 64 * 1024 * 1024;
    /** How long a claim lives without renewal, milliseconds, unless the claim asks otherwise: {@value}. */
    public static final long DEFAULT_LEASE_MILLIS = 10_000;

    private NodeProtocol() {
    }
}
