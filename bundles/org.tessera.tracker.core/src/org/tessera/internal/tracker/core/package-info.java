// SPDX-License-Identifier: EPL-2.0
/**
 * Implementation of the render tracker: the in-memory model ({@link org.tessera.internal.tracker.core.TrackerService}),
 * H2 storage with group commit and versioned migrations ({@link org.tessera.internal.tracker.core.TrackerStore}),
 * the hardened XML-RPC codec and endpoint, the DS components and the {@code tessera tracker} verb.
 * Exported only to the tracker's test bundle.
 */
package org.tessera.internal.tracker.core;
