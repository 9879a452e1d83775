// SPDX-License-Identifier: EPL-2.0
/**
 * The Render Tracker view: projects, their frames with status and progress, per-frame logs, live
 * through the tracker's EventAdmin events; tracker calls run in background jobs.
 */
package org.tessera.internal.tracker.ui;
