// SPDX-License-Identifier: EPL-2.0
/**
 * Render tracking: the {@link org.tessera.tracker.core.RenderTracker} service (HQueue's
 * {@code rendertracker} operations), its value types, its EventAdmin topics
 * ({@link org.tessera.tracker.core.TrackerEvents}) and an XML-RPC client
 * ({@link org.tessera.tracker.core.RenderTrackerClient}). The wire protocol is described in
 * {@code docs/tracker.md}.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tessera.tracker.core;
