// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

/** Renders a rectangle of a packed scene: the hot loop, in Java or in C. */
interface RaytracerKernel {
    /** {@code "embree"}, {@code "native"} or {@code "java"}. */
    String name();

    /** The name with what the kernel is, for the one-line notice of which kernel runs. */
    default String description() {
        return name();
    }

    /**
     * Fills {@code out} with 16-bit RGB samples of the rectangle {@code x0,y0,w,h}, {@code aa x aa}
     * samples per pixel on a fixed grid, so every tiling gives the same pixels.
     */
    void render(PackedScene scene, int x0, int y0, int w, int h, int aa, short[] out);
}
