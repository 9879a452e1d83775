// SPDX-License-Identifier: EPL-2.0
/*
 * Tessera's raytracing kernel in C, called from Java through the Foreign Function & Memory API.
 * It is a line-by-line twin of org.tessera.internal.render.raytracer.JavaKernel and reads the same
 * packed arrays (see PackedScene.java for the layout): change both together.
 * Built with gcc -O3 -ffp-contract=off so that it rounds like Java (no fused multiply-add).
 */
#include <math.h>
#include <stdint.h>
#include <float.h>

enum { I_LIGHTS = 0, I_MATERIALS, I_SPHERES, I_TRIANGLES, I_PLANES, I_NODES, I_MAX_DEPTH, I_OFF_LIGHTS,
       I_OFF_MAT, I_OFF_SPH, I_OFF_TRI, I_OFF_PLANE, I_OFF_NODE, I_OFF_SPH_MAT, I_OFF_TRI_MAT,
       I_OFF_PLANE_MAT, I_OFF_NODE_I, I_OFF_PRIM, I_WIDTH, I_HEIGHT };
enum { MAT = 13, LIGHT = 6, SPH = 4, TRI = 12, PLANE = 4, NODE_D = 6, NODE_I = 3 };
#define EPS 1e-4
#define T_MIN 1e-7

typedef struct {
    const double *d;
    const int32_t *in;
    double hit_t;
    int hit_kind;
    int hit_index;
    int stack[128];
} tracer;

static int intersect(tracer *tr, double ox, double oy, double oz, double dx, double dy, double dz, double t_max) {
    const double *d = tr->d;
    const int32_t *in = tr->in;
    tr->hit_t = t_max;
    tr->hit_kind = -1;
    int n_planes = in[I_PLANES];
    int op = in[I_OFF_PLANE];
    for (int k = 0; k < n_planes; k++) {
        int o = op + k * PLANE;
        double denom = d[o] * dx + d[o + 1] * dy + d[o + 2] * dz;
        if (denom > 1e-12 || denom < -1e-12) {
            double t = (d[o + 3] - (d[o] * ox + d[o + 1] * oy + d[o + 2] * oz)) / denom;
            if (t > T_MIN && t < tr->hit_t) {
                tr->hit_t = t;
                tr->hit_kind = 2;
                tr->hit_index = k;
            }
        }
    }
    if (in[I_NODES] == 0) {
        return tr->hit_kind >= 0;
    }
    double ix = 1.0 / dx, iy = 1.0 / dy, iz = 1.0 / dz;
    int node_d = in[I_OFF_NODE], node_i = in[I_OFF_NODE_I], prim = in[I_OFF_PRIM];
    int n_sph = in[I_SPHERES];
    int sp = 0;
    int *stack = tr->stack;
    stack[sp++] = 0;
    while (sp > 0) {
        int node = stack[--sp];
        int b = node_d + node * NODE_D;
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
        if (!(tmax >= tmin && tmax > T_MIN && tmin < tr->hit_t)) {
            continue;
        }
        int ni = node_i + node * NODE_I;
        int count = in[ni + 2];
        if (count == 0) {
            stack[sp++] = in[ni + 1];
            stack[sp++] = in[ni];
            continue;
        }
        for (int k = 0; k < count; k++) {
            int p = in[prim + in[ni] + k];
            if (p < n_sph) {
                int o = in[I_OFF_SPH] + p * SPH;
                double cx = ox - d[o], cy = oy - d[o + 1], cz = oz - d[o + 2];
                double bb = cx * dx + cy * dy + cz * dz;
                double cc = cx * cx + cy * cy + cz * cz - d[o + 3] * d[o + 3];
                double disc = bb * bb - cc;
                if (disc >= 0) {
                    double s = sqrt(disc);
                    double t = -bb - s;
                    if (t <= T_MIN) {
                        t = -bb + s;
                    }
                    if (t > T_MIN && t < tr->hit_t) {
                        tr->hit_t = t;
                        tr->hit_kind = 0;
                        tr->hit_index = p;
                    }
                }
            } else {
                int tri = p - n_sph;
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
                if (t > T_MIN && t < tr->hit_t) {
                    tr->hit_t = t;
                    tr->hit_kind = 1;
                    tr->hit_index = tri;
                }
            }
        }
    }
    return tr->hit_kind >= 0;
}

static void trace(tracer *tr, double ox, double oy, double oz, double dx, double dy, double dz, int depth,
                  double *out) {
    const double *d = tr->d;
    const int32_t *in = tr->in;
    if (!intersect(tr, ox, oy, oz, dx, dy, dz, DBL_MAX)) {
        out[0] = d[12];
        out[1] = d[13];
        out[2] = d[14];
        return;
    }
    double t = tr->hit_t;
    int kind = tr->hit_kind, index = tr->hit_index;
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
    int inside = nx * dx + ny * dy + nz * dz > 0;
    if (inside) {
        nx = -nx;
        ny = -ny;
        nz = -nz;
    }
    int m = in[I_OFF_MAT] + mat * MAT;
    double br = d[m], bg = d[m + 1], bb = d[m + 2];
    double scale = d[m + 6];
    if (scale > 0) {
        int64_t cell = (int64_t) floor(hx / scale) + (int64_t) floor(hy / scale + 1e-9) + (int64_t) floor(hz / scale);
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
    int n_lights = in[I_LIGHTS];
    for (int k = 0; k < n_lights; k++) {
        int o = in[I_OFF_LIGHTS] + k * LIGHT;
        double lx = d[o] - hx, ly = d[o + 1] - hy, lz = d[o + 2] - hz;
        double dist = sqrt(lx * lx + ly * ly + lz * lz);
        lx /= dist;
        ly /= dist;
        lz /= dist;
        double ndl = nx * lx + ny * ly + nz * lz;
        if (ndl <= 0) {
            continue;
        }
        if (intersect(tr, sx, sy, sz, lx, ly, lz, dist)) {
            continue;
        }
        double kd = diffuse * ndl;
        cr += br * d[o + 3] * kd;
        cg += bg * d[o + 4] * kd;
        cb += bb * d[o + 5] * kd;
        if (specular > 0) {
            double rdot = 2 * ndl;
            double rx = rdot * nx - lx, ry = rdot * ny - ly, rz = rdot * nz - lz;
            double spv = -(rx * dx + ry * dy + rz * dz);
            if (spv > 0) {
                double ks = specular * pow(spv, shininess);
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
        trace(tr, sx, sy, sz, rx, ry, rz, depth + 1, out);
        cr += refl * out[0];
        cg += refl * out[1];
        cb += refl * out[2];
    }
    if (trans > 0) {
        double eta = inside ? d[m + 12] : 1.0 / d[m + 12];
        double cosi = -ddn;
        double k = 1 - eta * eta * (1 - cosi * cosi);
        if (k < 0) {
            trace(tr, sx, sy, sz, rx, ry, rz, depth + 1, out);
        } else {
            double f = eta * cosi - sqrt(k);
            double tx = eta * dx + f * nx, ty = eta * dy + f * ny, tz = eta * dz + f * nz;
            trace(tr, hx - nx * EPS, hy - ny * EPS, hz - nz * EPS, tx, ty, tz, depth + 1, out);
        }
        cr += trans * out[0];
        cg += trans * out[1];
        cb += trans * out[2];
    }
    out[0] = cr;
    out[1] = cg;
    out[2] = cb;
}

/* Version of the packed layout this library reads; Java refuses a library with another one. */
int tessera_raytracer_abi(void) {
    return 1;
}

/* Renders the rectangle x0,y0,w,h into out (16-bit RGB, row by row). Returns 0. */
int tessera_render_tile(const double *d, const int32_t *in, int x0, int y0, int w, int h, int aa, uint16_t *out) {
    tracer tr;
    tr.d = d;
    tr.in = in;
    double c[3];
    int width = in[I_WIDTH], height = in[I_HEIGHT];
    double inv = 1.0 / aa;
    for (int py = 0; py < h; py++) {
        for (int px = 0; px < w; px++) {
            double acc0 = 0, acc1 = 0, acc2 = 0;
            for (int sy = 0; sy < aa; sy++) {
                for (int sx = 0; sx < aa; sx++) {
                    double u = ((x0 + px) + (sx + 0.5) * inv) / width * 2.0 - 1.0;
                    double v = 1.0 - ((y0 + py) + (sy + 0.5) * inv) / height * 2.0;
                    double dx = d[3] + u * d[6] + v * d[9];
                    double dy = d[4] + u * d[7] + v * d[10];
                    double dz = d[5] + u * d[8] + v * d[11];
                    double l = sqrt(dx * dx + dy * dy + dz * dz);
                    trace(&tr, d[0], d[1], d[2], dx / l, dy / l, dz / l, 0, c);
                    acc0 += c[0];
                    acc1 += c[1];
                    acc2 += c[2];
                }
            }
            int o = 3 * (py * w + px);
            double n = aa * aa;
            double acc[3] = { acc0, acc1, acc2 };
            for (int k = 0; k < 3; k++) {
                double val = acc[k] / n;
                val = val < 0 ? 0 : val > 1 ? 1 : val;
                out[o + k] = (uint16_t) (int) (val * 65535.0 + 0.5);
            }
        }
    }
    return 0;
}
