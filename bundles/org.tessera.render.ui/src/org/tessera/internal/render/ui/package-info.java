// SPDX-License-Identifier: EPL-2.0
/**
 * The Render view: scene, frames, size, engine and workers; a live image where each tile appears as
 * its worker returns it (borders and worker names with "Show tiles"), zoom, and saving the image.
 */
package org.tessera.internal.render.ui;
