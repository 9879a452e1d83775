// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.tessera.render.core.StereoEye;

/**
 * A scene flattened into one {@code double[]} and one {@code int[]} for a given image size and eye:
 * the exact input of both kernels (Java and C read the same layout; see tessera_raytracer.c). Includes a
 * BVH over spheres and triangles, built deterministically (median split on the widest centroid axis).
 */
public final class PackedScene {
    // int header
    static final int I_LIGHTS = 0, I_MATERIALS = 1, I_SPHERES = 2, I_TRIANGLES = 3, I_PLANES = 4, I_NODES = 5,
            I_MAX_DEPTH = 6, I_OFF_LIGHTS = 7, I_OFF_MAT = 8, I_OFF_SPH = 9, I_OFF_TRI = 10, I_OFF_PLANE = 11,
            I_OFF_NODE = 12, I_OFF_SPH_MAT = 13, I_OFF_TRI_MAT = 14, I_OFF_PLANE_MAT = 15, I_OFF_NODE_I = 16,
            I_OFF_PRIM = 17, I_WIDTH = 18, I_HEIGHT = 19, HEADER_I = 20;
    // double header: eye 0..2, forward 3..5, right 6..8, up 9..11, background 12..14, ambient 15
    static final int HEADER_D = 16;
    static final int MAT = 13, LIGHT = 6, SPH = 4, TRI = 12, PLANE = 4, NODE_D = 6, NODE_I = 3, LEAF_SIZE = 4;

    final double[] d;
    final int[] i;
    /** Native copies, made once by the native kernel. */
    volatile Object nativeCopy;
    /** The Embree scene, built once by the Embree kernel. */
    volatile Object embreeCopy;

    private PackedScene(double[] d, int[] i) {
        this.d = d;
        this.i = i;
    }

    int width() {
        return i[I_WIDTH];
    }

    int height() {
        return i[I_HEIGHT];
    }

    /** Number of triangles plus spheres. */
    int primitives() {
        return i[I_SPHERES] + i[I_TRIANGLES];
    }

    static PackedScene pack(Scene s, int width, int height, StereoEye eye) {
        return pack(s, width, height, eye, Double.NaN, 0);
    }

    /**
     * @param eyeSeparationMm eye distance in millimetres (scene units are metres); NaN = the scene camera's
     * @param zeroParallaxMm  zero-parallax distance in millimetres: each eye gets an off-axis (asymmetric)
     *                        frustum whose window coincides with the other eye's at that distance; 0 =
     *                        parallel cameras
     */
    static PackedScene pack(Scene s, int width, int height, StereoEye eye, double eyeSeparationMm, double zeroParallaxMm) {
        return pack(s, width, height, eye, eyeSeparationMm, zeroParallaxMm, true);
    }

    /**
     * As above; {@code withBvh = false} leaves the BVH out (no nodes): for the Embree kernel, which builds its own,
     * so a cold render does not build two.
     */
    static PackedScene pack(Scene s, int width, int height, StereoEye eye, double eyeSeparationMm, double zeroParallaxMm,
            boolean withBvh) {
        int nl = s.lights.size(), nm = s.materials.size(), ns = s.spheres.size(), nt = s.triangles.size(),
                np = s.planes.size();
        int nPrim = ns + nt;
        double[][] lo = new double[nPrim][];
        double[][] hi = new double[nPrim][];
        for (int k = 0; k < ns; k++) {
            Scene.Sphere sp = s.spheres.get(k);
            double r = sp.radius();
            lo[k] = Vec.sub(sp.center(), Vec.of(r, r, r));
            hi[k] = Vec.add(sp.center(), Vec.of(r, r, r));
        }
        for (int k = 0; k < nt; k++) {
            Scene.Triangle t = s.triangles.get(k);
            lo[ns + k] = Vec.of(Math.min(t.v0()[0], Math.min(t.v1()[0], t.v2()[0])),
                    Math.min(t.v0()[1], Math.min(t.v1()[1], t.v2()[1])), Math.min(t.v0()[2], Math.min(t.v1()[2], t.v2()[2])));
            hi[ns + k] = Vec.of(Math.max(t.v0()[0], Math.max(t.v1()[0], t.v2()[0])),
                    Math.max(t.v0()[1], Math.max(t.v1()[1], t.v2()[1])), Math.max(t.v0()[2], Math.max(t.v1()[2], t.v2()[2])));
        }
        Bvh bvh = new Bvh(lo, hi);
        if (nPrim > 0 && withBvh) {
            Integer[] order = new Integer[nPrim];
            for (int k = 0; k < nPrim; k++) {
                order[k] = k;
            }
            bvh.build(order, 0, nPrim);
        }
        int nn = bvh.nodeLo.size();

        int[] ih = new int[HEADER_I];
        int offD = HEADER_D;
        ih[I_OFF_LIGHTS] = offD; offD += nl * LIGHT;
        ih[I_OFF_MAT] = offD; offD += nm * MAT;
        ih[I_OFF_SPH] = offD; offD += ns * SPH;
        ih[I_OFF_TRI] = offD; offD += nt * TRI;
        ih[I_OFF_PLANE] = offD; offD += np * PLANE;
        ih[I_OFF_NODE] = offD; offD += nn * NODE_D;
        int offI = HEADER_I;
        ih[I_OFF_SPH_MAT] = offI; offI += ns;
        ih[I_OFF_TRI_MAT] = offI; offI += nt;
        ih[I_OFF_PLANE_MAT] = offI; offI += np;
        ih[I_OFF_NODE_I] = offI; offI += nn * NODE_I;
        ih[I_OFF_PRIM] = offI; offI += bvh.prims.size();
        ih[I_LIGHTS] = nl; ih[I_MATERIALS] = nm; ih[I_SPHERES] = ns; ih[I_TRIANGLES] = nt; ih[I_PLANES] = np;
        ih[I_NODES] = nn; ih[I_MAX_DEPTH] = s.maxDepth; ih[I_WIDTH] = width; ih[I_HEIGHT] = height;

        double[] d = new double[offD];
        int[] in = Arrays.copyOf(ih, offI);
        // camera, left-handed like POV-Ray: right = up x forward
        double[] forward = Vec.normalize(Vec.sub(s.lookAt, s.eye));
        double[] right = Vec.normalize(Vec.cross(s.up, forward));
        double[] up = Vec.cross(forward, right);
        double[] eyePos = s.eye;
        double separation = Double.isNaN(eyeSeparationMm) ? s.eyeSeparation : eyeSeparationMm / 1000.0;
        // Off-axis stereo: the eye moves by half the separation along the camera's right axis and its
        // image window moves back by the same amount at the zero-parallax distance z0, so the frustum
        // is asymmetric and a point at z0 lands on the same pixel in both eyes. The kernels trace
        // forward + u * right + v * up, so shifting "forward" by side * (separation / 2) / z0 along the
        // right axis shifts the window without changing its size.
        double side = eye == StereoEye.LEFT ? -1 : eye == StereoEye.RIGHT ? 1 : 0;
        if (side != 0) {
            eyePos = Vec.add(eyePos, Vec.scale(right, side * separation / 2));
            if (zeroParallaxMm > 0) {
                forward = Vec.add(forward, Vec.scale(right, -side * (separation / 2) / (zeroParallaxMm / 1000.0)));
            }
        }
        double halfWidth = Math.tan(Math.toRadians(s.fov) / 2);
        double halfHeight = halfWidth * height / width;
        put(d, 0, eyePos);
        put(d, 3, forward);
        put(d, 6, Vec.scale(right, halfWidth));
        put(d, 9, Vec.scale(up, halfHeight));
        put(d, 12, s.background);
        d[15] = s.ambient;
        for (int k = 0; k < nl; k++) {
            int o = ih[I_OFF_LIGHTS] + k * LIGHT;
            put(d, o, s.lights.get(k).position());
            put(d, o + 3, s.lights.get(k).color());
        }
        for (int k = 0; k < nm; k++) {
            Scene.Material m = s.materials.get(k);
            int o = ih[I_OFF_MAT] + k * MAT;
            put(d, o, m.color());
            put(d, o + 3, m.checker() == null ? m.color() : m.checker());
            d[o + 6] = m.checker() == null ? 0 : m.checkerScale();
            d[o + 7] = m.diffuse();
            d[o + 8] = m.specular();
            d[o + 9] = m.shininess();
            d[o + 10] = m.reflection();
            d[o + 11] = m.transparency();
            d[o + 12] = m.ior();
        }
        for (int k = 0; k < ns; k++) {
            Scene.Sphere sp = s.spheres.get(k);
            int o = ih[I_OFF_SPH] + k * SPH;
            put(d, o, sp.center());
            d[o + 3] = sp.radius();
            in[ih[I_OFF_SPH_MAT] + k] = sp.material();
        }
        for (int k = 0; k < nt; k++) {
            Scene.Triangle t = s.triangles.get(k);
            int o = ih[I_OFF_TRI] + k * TRI;
            double[] e1 = Vec.sub(t.v1(), t.v0());
            double[] e2 = Vec.sub(t.v2(), t.v0());
            put(d, o, t.v0());
            put(d, o + 3, e1);
            put(d, o + 6, e2);
            put(d, o + 9, Vec.normalize(Vec.cross(e1, e2)));
            in[ih[I_OFF_TRI_MAT] + k] = t.material();
        }
        for (int k = 0; k < np; k++) {
            Scene.Plane p = s.planes.get(k);
            int o = ih[I_OFF_PLANE] + k * PLANE;
            put(d, o, p.normal());
            d[o + 3] = p.offset();
            in[ih[I_OFF_PLANE_MAT] + k] = p.material();
        }
        for (int k = 0; k < nn; k++) {
            put(d, ih[I_OFF_NODE] + k * NODE_D, bvh.nodeLo.get(k));
            put(d, ih[I_OFF_NODE] + k * NODE_D + 3, bvh.nodeHi.get(k));
            int[] ni = bvh.nodeInts.get(k);
            System.arraycopy(ni, 0, in, ih[I_OFF_NODE_I] + k * NODE_I, NODE_I);
        }
        for (int k = 0; k < bvh.prims.size(); k++) {
            in[ih[I_OFF_PRIM] + k] = bvh.prims.get(k);
        }
        return new PackedScene(d, in);
    }

    private static void put(double[] d, int o, double[] v) {
        d[o] = v[0];
        d[o + 1] = v[1];
        d[o + 2] = v[2];
    }

    /** Median-split BVH; node ints are {left, right, 0} for inner nodes and {firstPrim, 0, count} for leaves. */
    private static final class Bvh {
        final double[][] lo;
        final double[][] hi;
        final List<double[]> nodeLo = new ArrayList<>();
        final List<double[]> nodeHi = new ArrayList<>();
        final List<int[]> nodeInts = new ArrayList<>();
        final List<Integer> prims = new ArrayList<>();

        Bvh(double[][] lo, double[][] hi) {
            this.lo = lo;
            this.hi = hi;
        }

        int build(Integer[] order, int from, int to) {
            int node = nodeLo.size();
            double[] bl = { Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE };
            double[] bh = { -Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE };
            double[] cl = bl.clone();
            double[] ch = bh.clone();
            for (int k = from; k < to; k++) {
                int p = order[k];
                for (int a = 0; a < 3; a++) {
                    bl[a] = Math.min(bl[a], lo[p][a]);
                    bh[a] = Math.max(bh[a], hi[p][a]);
                    double c = (lo[p][a] + hi[p][a]) * 0.5;
                    cl[a] = Math.min(cl[a], c);
                    ch[a] = Math.max(ch[a], c);
                }
            }
            nodeLo.add(bl);
            nodeHi.add(bh);
            nodeInts.add(null);
            int count = to - from;
            if (count <= LEAF_SIZE) {
                int first = prims.size();
                for (int k = from; k < to; k++) {
                    prims.add(order[k]);
                }
                nodeInts.set(node, new int[] { first, 0, count });
                return node;
            }
            int axis = 0;
            for (int a = 1; a < 3; a++) {
                if (ch[a] - cl[a] > ch[axis] - cl[axis]) {
                    axis = a;
                }
            }
            final int ax = axis;
            Arrays.sort(order, from, to, Comparator.<Integer>comparingDouble(p -> lo[p][ax] + hi[p][ax])
                    .thenComparingInt(p -> p));
            int mid = (from + to) >>> 1;
            int left = build(order, from, mid);
            int right = build(order, mid, to);
            nodeInts.set(node, new int[] { left, right, 0 });
            return node;
        }
    }
}
