// SPDX-License-Identifier: EPL-2.0
/**
 * The POV-Ray render engine: runs the {@code povray} program once per tile (a row band by default)
 * and crops the rendered rectangle from its full-size PPM output.
 */
package org.tessera.internal.render.povray;
