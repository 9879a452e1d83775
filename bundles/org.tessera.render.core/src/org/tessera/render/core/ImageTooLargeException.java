// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

/**
 * An image or tile is too large for this process's memory (or for Java's arrays): refused before anything
 * is allocated, so the job ends with this message instead of running out of heap.
 */
public class ImageTooLargeException extends RenderException {
    private static final long serialVersionUID = 1L;

    /** Frame buffers use 3 channels of 16 bits: {@value} bytes a pixel. */
    public static final int BYTES_PER_PIXEL = 6;

    /** A refusal with its reason. */
    public ImageTooLargeException(String message) {
        super(message);
    }

    /**
     * Refuses a {@code width x height} image ({@code what} names it in the message, e.g. "a frame of") that
     * needs more than a quarter of this JVM's largest heap, or more samples than one Java array holds.
     *
     * @throws ImageTooLargeException naming the size, the memory it needs and what this process has
     */
    public static void check(String what, long width, long height) throws ImageTooLargeException {
        long pixels = width * height;
        long bytes = pixels * BYTES_PER_PIXEL;
        long budget = Runtime.getRuntime().maxMemory() / 4;
        if (width <= 0 || height <= 0 || pixels * 3 > Integer.MAX_VALUE - 16 || bytes > budget) {
            throw new ImageTooLargeException(what + " " + width + "x" + height + " needs " + mb(bytes)
                    + " MB for its pixels; this process allows " + mb(budget) + " MB per image (a quarter of its "
                    + mb(Runtime.getRuntime().maxMemory()) + " MB heap; -Xmx in TESSERA_VMARGS gives more), and at most "
                    + (Integer.MAX_VALUE / 3) + " pixels: render it smaller, or in parts");
        }
    }

    private static long mb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
