// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import static org.tessera.internal.render.raytracer.PackedScene.*;

/**
 * The pure-Java kernel: Whitted shading (ambient, Lambert diffuse, Phong specular, hard shadows,
 * mirror reflection, Snell refraction with total internal reflection) over a BVH. It is a line-by-line
 * twin of native/tessera_raytracer.c: change both together.
 */
final class JavaKernel implements RaytracerKernel {
    static final double EPS = 1e-4;
    static final double T_MIN = 1e-7;

    @Override
    public String name() {
        return "java";
    }

    @Override
    public String description() {
        return "java (pure Java, double precision)";
    }

    @Override
    public void render(PackedScene scene, int x0, int y0, int w, int h, int aa, short[] out) {
        Tracer t = new Tracer(scene.d, scene.i);
        double[] c = new double[3];
        double[] acc = new double[3];
        double[] d = scene.d;
        int width = scene.i[I_WIDTH];
        int height = scene.i[I_HEIGHT];
        double inv = 1.0 / aa;
        for (int py = 0; py < h; py++) {
            for (int px = 0; px < w; px++) {
                acc[0] = acc[1] = acc[2] = 0;
                for (int sy = 0; sy < aa; sy++) {
                    for (int sx = 0; sx < aa; sx++) {
                        double u = ((x0 + px) + (sx + 0.5) * inv) / width * 2.0 - 1.0;
                        double v = 1.0 - ((y0 + py) + (sy + 0.5) * inv) / height * 2.0;
                        double dx = d[3] + u * d[6] + v * d[9];
                        double dy = d[4] + u * d[7] + v * d[10];
                        double dz = d[5] + u * d[8] + v * d[11];
                        double l = Math.sqrt(dx * dx + dy * dy + dz * dz);
                        t.trace(d[0], d[1], d[2], dx / l, dy / l, dz / l, 0, c);
                        acc[0] += c[0];
                        acc[1] += c[1];
                        acc[2] += c[2];
                    }
                }
                int o = 3 * (py * w + px);
                double n = aa * aa;
                for (int k = 0; k < 3; k++) {
                    double val = acc[k] / n;
                    val = val < 0 ? 0 : val > 1 ? 1 : val;
                    out[o + k] = (short) (int) (val * 65535.0 + 0.5);
                }
            }
        }
    }

    /** Per-call tracing state (hit record, traversal stack). */
    static final class Tracer {
        final double[] d;
        final int[] in;
        final int[] stack = new int[128];
        double hitT;
        int hitKind;
        int hitIndex;

        Tracer(double[] d, int[] in) {
            this.d = d;
            this.in = in;
        }

        /** Nearest hit with T_MIN < t < tMax; sets hitT/hitKind/hitIndex, returns whether anything was hit. */
        boolean intersect(double ox, double oy, double oz, double dx, double dy, double dz, double tMax) {
            hitT = tMax;
            hitKind = -1;
            int nPlanes = in[I_PLANES];
            int op = in[I_OFF_PLANE];
            for (int k = 0; k < nPlanes; k++) {
                int o = op + k * PLANE;
                double denom = d[o] * dx + d[o + 1] * dy + d[o + 2] * dz;
                if (denom > 1e-12 || denom < -1e-12) {
                    double t = (d[o + 3] - (d[o] * ox + d[o + 1] * oy + d[o + 2] * oz)) / denom;
                    if (t > T_MIN && t < hitT) {
                        hitT = t;
                        hitKind = 2;
                        hitIndex = k;
                    }
                }
            }
            if (in[I_NODES] == 0) {
                return hitKind >= 0;
            }
            double ix = 1.0 / dx, iy = 1.0 / dy, iz = 1.0 / dz;
            int nodeD = in[I_OFF_NODE], nodeI = in[I_OFF_NODE_I], prim = in[I_OFF_PRIM];
            int nSph = in[I_SPHERES];
            int sp = 0;
            stack[sp++] = 0;
            while (sp > 0) {
                int node = stack[--sp];
                int b = nodeD + node * NODE_D;
                double t1 = (d[b] - ox) * ix, t2 = (d[b + 3] - ox) * ix;
                double tmin = t1 < t2 ? t1 : t2, tmax = t1 < t2 ? t2 : t1;
                t1 = (d[b + 1] - oy) * iy;
                t2 = (d[b + 4] - oy) * iy;
                double lo = t1 < t2 ? t1 : t2, hi = t1 < t2 ? t2 : t1;
                tmin = lo > tmin ? lo : tmin;
                tmax = hi < tmax ? hi : tmax;
                t1 = (d[b + 2] - oz) * iz;
                t2 = (d[b + 5] - oz) * iz;
                lo = t1 < t2 ? t1 : t2;
                hi = t1 < t2 ? t2 : t1;
                tmin = lo > tmin ? lo : tmin;
                tmax = hi < tmax ? hi : tmax;
                if (!(tmax >= tmin && tmax > T_MIN && tmin < hitT)) {
                    continue;
                }
                int ni = nodeI + node * NODE_I;
                int count = in[ni + 2];
                if (count == 0) {
                    stack[sp++] = in[ni + 1];
                    stack[sp++] = in[ni];
                    continue;
                }
                for (int k = 0; k < count; k++) {
                    int p = in[prim + in[ni] + k];
                    if (p < nSph) {
                        int o = in[I_OFF_SPH] + p * SPH;
                        double cx = ox - d[o], cy = oy - d[o + 1], cz = oz - d[o + 2];
                        double bb = cx * dx + cy * dy + cz * dz;
                        double cc = cx * cx + cy * cy + cz * cz - d[o + 3] * d[o + 3];
                        double disc = bb * bb - cc;
                        if (disc >= 0) {
                            double s = Math.sqrt(disc);
                            double t = -bb - s;
                            if (t <= T_MIN) {
                                t = -bb + s;
                            }
                            if (t > T_MIN && t < hitT) {
                                hitT = t;
                                hitKind = 0;
                                hitIndex = p;
                            }
                        }
                    } else {
                        int tri = p - nSph;
                        int o = in[I_OFF_TRI] + tri * TRI;
                        double e1x = d[o + 3], e1y = d[o + 4], e1z = d[o + 5];
                        double e2x = d[o + 6], e2y = d[o + 7], e2z = d[o + 8];
                        double px = dy * e2z - dz * e2y, py = dz * e2x - dx * e2z, pz = dx * e2y - dy * e2x;
                        double det = e1x * px + e1y * py + e1z * pz;
                        if (det > -1e-12 && det < 1e-12) {
                            continue;
                        }
                        double inv = 1.0 / det;
                        double tx = ox - d[o], ty = oy - d[o + 1], tz = oz - d[o + 2];
                        double u = (tx * px + ty * py + tz * pz) * inv;
                        if (u < 0 || u > 1) {
                            continue;
                        }
                        double qx = ty * e1z - tz * e1y, qy = tz * e1x - tx * e1z, qz = tx * e1y - ty * e1x;
                        double v = (dx * qx + dy * qy + dz * qz) * inv;
                        if (v < 0 || u + v > 1) {
                            continue;
                        }
                        double t = (e2x * qx + e2y * qy + e2z * qz) * inv;
                        if (t > T_MIN && t < hitT) {
                            hitT = t;
                            hitKind = 1;
                            hitIndex = tri;
                        }
                    }
                }
            }
            return hitKind >= 0;
        }

        void trace(double ox, double oy, double oz, double dx, double dy, double dz, int depth, double[] out) {
            if (!intersect(ox, oy, oz, dx, dy, dz, Double.MAX_VALUE)) {
                out[0] = d[12];
                out[1] = d[13];
                out[2] = d[14];
                return;
            }
            double t = hitT;
            int kind = hitKind, index = hitIndex;
            double hx = ox + t * dx, hy = oy + t * dy, hz = oz + t * dz;
            double nx, ny, nz;
            int mat;
            if (kind == 0) {
                int o = in[I_OFF_SPH] + index * SPH;
                double r = d[o + 3];
                nx = (hx - d[o]) / r;
                ny = (hy - d[o + 1]) / r;
                nz = (hz - d[o + 2]) / r;
                mat = in[in[I_OFF_SPH_MAT] + index];
            } else if (kind == 1) {
                int o = in[I_OFF_TRI] + index * TRI;
                nx = d[o + 9];
                ny = d[o + 10];
                nz = d[o + 11];
                mat = in[in[I_OFF_TRI_MAT] + index];
            } else {
                int o = in[I_OFF_PLANE] + index * PLANE;
                nx = d[o];
                ny = d[o + 1];
                nz = d[o + 2];
                mat = in[in[I_OFF_PLANE_MAT] + index];
            }
            boolean inside = nx * dx + ny * dy + nz * dz > 0;
            if (inside) {
                nx = -nx;
                ny = -ny;
                nz = -nz;
            }
            int m = in[I_OFF_MAT] + mat * MAT;
            double br = d[m], bg = d[m + 1], bb = d[m + 2];
            double scale = d[m + 6];
            if (scale > 0) {
                long cell = (long) Math.floor(hx / scale) + (long) Math.floor(hy / scale + 1e-9) + (long) Math.floor(hz / scale);
                if ((cell & 1) != 0) {
                    br = d[m + 3];
                    bg = d[m + 4];
                    bb = d[m + 5];
                }
            }
            double amb = d[15];
            double cr = br * amb, cg = bg * amb, cb = bb * amb;
            double diffuse = d[m + 7], specular = d[m + 8], shininess = d[m + 9];
            double sx = hx + nx * EPS, sy = hy + ny * EPS, sz = hz + nz * EPS;
            int nLights = in[I_LIGHTS];
            for (int k = 0; k < nLights; k++) {
                int o = in[I_OFF_LIGHTS] + k * LIGHT;
                double lx = d[o] - hx, ly = d[o + 1] - hy, lz = d[o + 2] - hz;
                double dist = Math.sqrt(lx * lx + ly * ly + lz * lz);
                lx /= dist;
                ly /= dist;
                lz /= dist;
                double ndl = nx * lx + ny * ly + nz * lz;
                if (ndl <= 0) {
                    continue;
                }
                if (intersect(sx, sy, sz, lx, ly, lz, dist)) {
                    continue;
                }
                double kd = diffuse * ndl;
                cr += br * d[o + 3] * kd;
                cg += bg * d[o + 4] * kd;
                cb += bb * d[o + 5] * kd;
                if (specular > 0) {
                    // Phong: reflect the light direction about the normal, compare with the view direction
                    double rdot = 2 * ndl;
                    double rx = rdot * nx - lx, ry = rdot * ny - ly, rz = rdot * nz - lz;
                    double sp = -(rx * dx + ry * dy + rz * dz);
                    if (sp > 0) {
                        double ks = specular * Math.pow(sp, shininess);
                        cr += d[o + 3] * ks;
                        cg += d[o + 4] * ks;
                        cb += d[o + 5] * ks;
                    }
                }
            }
            double refl = d[m + 10], trans = d[m + 11];
            double local = 1 - refl - trans;
            if (local < 0) {
                local = 0;
            }
            if (depth >= in[I_MAX_DEPTH]) {
                out[0] = cr;
                out[1] = cg;
                out[2] = cb;
                return;
            }
            cr *= local;
            cg *= local;
            cb *= local;
            double ddn = dx * nx + dy * ny + dz * nz;
            double rx = dx - 2 * ddn * nx, ry = dy - 2 * ddn * ny, rz = dz - 2 * ddn * nz;
            if (refl > 0) {
                trace(sx, sy, sz, rx, ry, rz, depth + 1, out);
                cr += refl * out[0];
                cg += refl * out[1];
                cb += refl * out[2];
            }
            if (trans > 0) {
                double eta = inside ? d[m + 12] : 1.0 / d[m + 12];
                double cosi = -ddn;
                double k = 1 - eta * eta * (1 - cosi * cosi);
                if (k < 0) {
                    trace(sx, sy, sz, rx, ry, rz, depth + 1, out);
                } else {
                    double f = eta * cosi - Math.sqrt(k);
                    double tx = eta * dx + f * nx, ty = eta * dy + f * ny, tz = eta * dz + f * nz;
                    trace(hx - nx * EPS, hy - ny * EPS, hz - nz * EPS, tx, ty, tz, depth + 1, out);
                }
                cr += trans * out[0];
                cg += trans * out[1];
                cb += trans * out[2];
            }
            out[0] = cr;
            out[1] = cg;
            out[2] = cb;
        }
    }
}
