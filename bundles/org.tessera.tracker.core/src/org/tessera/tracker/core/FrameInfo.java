// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.core;

/**
 * One frame's state: its number, status and fraction complete (0.0–1.0; the render fraction while
 * rendering, the download fraction while downloading, 1.0 once complete). Sent over XML-RPC as the
 * 3-tuple {@code [frame, status index, fraction]}.
 */
public record FrameInfo(int frame, FrameStatus status, double fraction) {
}
