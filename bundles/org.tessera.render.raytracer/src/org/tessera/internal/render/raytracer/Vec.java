// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

/** Small 3-vector helpers on double[3], used while loading and packing (not in the kernels' hot loops). */
final class Vec {
    private Vec() {
    }

    static double[] of(double x, double y, double z) {
        return new double[] { x, y, z };
    }

    static double[] sub(double[] a, double[] b) {
        return of(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    }

    static double[] add(double[] a, double[] b) {
        return of(a[0] + b[0], a[1] + b[1], a[2] + b[2]);
    }

    static double[] scale(double[] a, double s) {
        return of(a[0] * s, a[1] * s, a[2] * s);
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] cross(double[] a, double[] b) {
        return of(a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]);
    }

    static double[] normalize(double[] a) {
        double l = Math.sqrt(dot(a, a));
        return l == 0 ? a.clone() : scale(a, 1 / l);
    }

    static double[] rotateY(double[] v, double degrees) {
        double r = Math.toRadians(degrees);
        double c = Math.cos(r);
        double s = Math.sin(r);
        return of(c * v[0] + s * v[2], v[1], -s * v[0] + c * v[2]);
    }
}
