// SPDX-License-Identifier: EPL-2.0
/**
 * The built-in raytracer's public face: its engine name and the export of its JSON scenes
 * (docs/scene-format.md) as POV-Ray scene files.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tessera.render.raytracer;
