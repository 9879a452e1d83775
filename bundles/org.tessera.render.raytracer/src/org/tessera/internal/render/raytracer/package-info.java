// SPDX-License-Identifier: EPL-2.0
/**
 * The built-in raytracer: JSON scene loading (Gson), OBJ import, BVH construction, the packed scene
 * arrays shared by the Java and the native (C, via FFM) kernels, the render engine service and the
 * POV-Ray exporter.
 */
package org.tessera.internal.render.raytracer;
