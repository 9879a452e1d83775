// SPDX-License-Identifier: EPL-2.0
/*
 * Tessera's Embree kernel: the same Whitted shading as JavaKernel / tessera_raytracer.c, in single
 * precision, with Intel Embree 3 as the traversal kernel (spheres as RTC_GEOMETRY_TYPE_SPHERE_POINT,
 * triangles as RTC_GEOMETRY_TYPE_TRIANGLE; infinite planes are tested here). The samples of one pixel
 * are traced as one packet (rtcIntersect4/rtcIntersect8), so the grouping depends on the pixel only and
 * every tiling gives the same pixels. Reads the packed arrays of PackedScene.java (layout version 1).
 *
 * Its pixels differ from the double-precision kernels (float rounding, Embree's own triangle and sphere
 * tests): a frame is never mixed from this kernel and another one (see docs/renderer.md, "Kernels").
 * Compiled only where the Embree headers are installed (libembree-dev); links libembree3.
 */
#include <embree3/rtcore.h>
#include <math.h>
#include <xmmintrin.h>
#include <pmmintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { I_LIGHTS = 0, I_MATERIALS, I_SPHERES, I_TRIANGLES, I_PLANES, I_NODES, I_MAX_DEPTH, I_OFF_LIGHTS,
       I_OFF_MAT, I_OFF_SPH, I_OFF_TRI, I_OFF_PLANE, I_OFF_NODE, I_OFF_SPH_MAT, I_OFF_TRI_MAT,
       I_OFF_PLANE_MAT, I_OFF_NODE_I, I_OFF_PRIM, I_WIDTH, I_HEIGHT };
enum { MAT = 13, LIGHT = 6, SPH = 4, TRI = 12, PLANE = 4 };
#define EPS 1e-4f
#define T_MIN 1e-5f
#define KIND_SPHERE 0
#define KIND_TRIANGLE 1
#define KIND_PLANE 2

typedef struct {
    float color[3], checker[3], scale, diffuse, specular, shininess, refl, trans, ior;
} material;

typedef struct {
    RTCDevice device;
    RTCScene scene;
    unsigned sph_geom, tri_geom;
    int n_sph, n_tri, n_planes, n_lights, max_depth, width, height, packets;
    float cam[12];
    float bg[3];
    float amb;
    float *sph;      /* x y z r */
    float *tri_n;    /* unit normal per triangle */
    float *planes;   /* nx ny nz offset */
    float *lights;   /* x y z r g b */
    int *sph_mat, *tri_mat, *plane_mat;
    material *mats;
} escene;

typedef struct {
    float t;
    int kind, index;
} hit;

static const char *last_error = "";

/* Version of the packed layout this library reads; Java refuses a library with another one. */
int tessera_embree_abi(void) {
    return 1;
}

/* The Embree version this library was built against, e.g. "3.13.5". */
const char *tessera_embree_version(void) {
    return RTC_VERSION_STRING;
}

/* Why the last tessera_embree_scene returned NULL. */
const char *tessera_embree_error(void) {
    return last_error;
}

static float *floats(const double *d, int off, int n) {
    float *f = malloc(sizeof(float) * (n > 0 ? n : 1));
    for (int k = 0; k < n; k++) {
        f[k] = (float) d[off + k];
    }
    return f;
}

static int *ints(const int32_t *in, int off, int n) {
    int *r = malloc(sizeof(int) * (n > 0 ? n : 1));
    for (int k = 0; k < n; k++) {
        r[k] = in[off + k];
    }
    return r;
}

void tessera_embree_free(void *handle) {
    escene *s = handle;
    if (s == NULL) {
        return;
    }
    if (s->scene) {
        rtcReleaseScene(s->scene);
    }
    if (s->device) {
        rtcReleaseDevice(s->device);
    }
    free(s->sph);
    free(s->tri_n);
    free(s->planes);
    free(s->lights);
    free(s->sph_mat);
    free(s->tri_mat);
    free(s->plane_mat);
    free(s->mats);
    free(s);
}

/*
 * Builds the Embree scene of a packed scene. build_threads: threads of Embree's BVH build (0 = all
 * cores). Returns NULL (and sets tessera_embree_error) when Embree fails.
 */
void *tessera_embree_scene(const double *d, const int32_t *in, int build_threads) {
    escene *s = calloc(1, sizeof(escene));
    char config[64];
    if (build_threads > 0) {
        snprintf(config, sizeof config, "threads=%d", build_threads);
    } else {
        config[0] = 0;
    }
    s->device = rtcNewDevice(config);
    if (s->device == NULL) {
        last_error = "rtcNewDevice failed (does this CPU support SSE2?)";
        free(s);
        return NULL;
    }
    s->packets = (int) rtcGetDeviceProperty(s->device, RTC_DEVICE_PROPERTY_NATIVE_RAY4_SUPPORTED);
    s->n_sph = in[I_SPHERES];
    s->n_tri = in[I_TRIANGLES];
    s->n_planes = in[I_PLANES];
    s->n_lights = in[I_LIGHTS];
    s->max_depth = in[I_MAX_DEPTH];
    s->width = in[I_WIDTH];
    s->height = in[I_HEIGHT];
    for (int k = 0; k < 12; k++) {
        s->cam[k] = (float) d[k];
    }
    for (int k = 0; k < 3; k++) {
        s->bg[k] = (float) d[12 + k];
    }
    s->amb = (float) d[15];
    s->sph = floats(d, in[I_OFF_SPH], s->n_sph * SPH);
    s->planes = floats(d, in[I_OFF_PLANE], s->n_planes * PLANE);
    s->lights = floats(d, in[I_OFF_LIGHTS], s->n_lights * LIGHT);
    s->sph_mat = ints(in, in[I_OFF_SPH_MAT], s->n_sph);
    s->tri_mat = ints(in, in[I_OFF_TRI_MAT], s->n_tri);
    s->plane_mat = ints(in, in[I_OFF_PLANE_MAT], s->n_planes);
    s->tri_n = malloc(sizeof(float) * 3 * (s->n_tri > 0 ? s->n_tri : 1));
    int nm = in[I_MATERIALS];
    s->mats = malloc(sizeof(material) * (nm > 0 ? nm : 1));
    for (int k = 0; k < nm; k++) {
        const double *m = d + in[I_OFF_MAT] + k * MAT;
        material *mt = &s->mats[k];
        for (int c = 0; c < 3; c++) {
            mt->color[c] = (float) m[c];
            mt->checker[c] = (float) m[3 + c];
        }
        mt->scale = (float) m[6];
        mt->diffuse = (float) m[7];
        mt->specular = (float) m[8];
        mt->shininess = (float) m[9];
        mt->refl = (float) m[10];
        mt->trans = (float) m[11];
        mt->ior = (float) m[12];
    }
    s->scene = rtcNewScene(s->device);
    s->sph_geom = s->tri_geom = RTC_INVALID_GEOMETRY_ID;
    if (s->n_sph > 0) {
        RTCGeometry g = rtcNewGeometry(s->device, RTC_GEOMETRY_TYPE_SPHERE_POINT);
        float *v = rtcSetNewGeometryBuffer(g, RTC_BUFFER_TYPE_VERTEX, 0, RTC_FORMAT_FLOAT4, 4 * sizeof(float),
                                           s->n_sph);
        memcpy(v, s->sph, sizeof(float) * 4 * s->n_sph);
        rtcCommitGeometry(g);
        s->sph_geom = rtcAttachGeometry(s->scene, g);
        rtcReleaseGeometry(g);
    }
    if (s->n_tri > 0) {
        RTCGeometry g = rtcNewGeometry(s->device, RTC_GEOMETRY_TYPE_TRIANGLE);
        float *v = rtcSetNewGeometryBuffer(g, RTC_BUFFER_TYPE_VERTEX, 0, RTC_FORMAT_FLOAT3, 3 * sizeof(float),
                                           3 * (size_t) s->n_tri);
        unsigned *ix = rtcSetNewGeometryBuffer(g, RTC_BUFFER_TYPE_INDEX, 0, RTC_FORMAT_UINT3, 3 * sizeof(unsigned),
                                               s->n_tri);
        for (int k = 0; k < s->n_tri; k++) {
            const double *t = d + in[I_OFF_TRI] + k * TRI;
            for (int c = 0; c < 3; c++) {
                v[9 * k + c] = (float) t[c];
                v[9 * k + 3 + c] = (float) (t[c] + t[3 + c]);
                v[9 * k + 6 + c] = (float) (t[c] + t[6 + c]);
                s->tri_n[3 * k + c] = (float) t[9 + c];
            }
            ix[3 * k] = 3 * k;
            ix[3 * k + 1] = 3 * k + 1;
            ix[3 * k + 2] = 3 * k + 2;
        }
        rtcCommitGeometry(g);
        s->tri_geom = rtcAttachGeometry(s->scene, g);
        rtcReleaseGeometry(g);
    }
    rtcCommitScene(s->scene);
    if (rtcGetDeviceError(s->device) != RTC_ERROR_NONE) {
        last_error = "Embree could not build the scene";
        tessera_embree_free(s);
        return NULL;
    }
    return s;
}

static inline void planes_hit(const escene *s, const float *o, const float *dir, hit *h) {
    for (int k = 0; k < s->n_planes; k++) {
        const float *p = s->planes + 4 * k;
        float denom = p[0] * dir[0] + p[1] * dir[1] + p[2] * dir[2];
        if (denom > 1e-12f || denom < -1e-12f) {
            float t = (p[3] - (p[0] * o[0] + p[1] * o[1] + p[2] * o[2])) / denom;
            if (t > T_MIN && t < h->t) {
                h->t = t;
                h->kind = KIND_PLANE;
                h->index = k;
            }
        }
    }
}

static inline void to_hit(const escene *s, unsigned geom, unsigned prim, float t, hit *h) {
    if (geom == RTC_INVALID_GEOMETRY_ID) {
        h->kind = -1;
        h->t = INFINITY;
        return;
    }
    h->t = t;
    h->kind = geom == s->sph_geom ? KIND_SPHERE : KIND_TRIANGLE;
    h->index = (int) prim;
}

static void intersect1(const escene *s, const float *o, const float *dir, hit *h) {
    struct RTCIntersectContext ctx;
    rtcInitIntersectContext(&ctx);
    struct RTCRayHit rh;
    rh.ray.org_x = o[0];
    rh.ray.org_y = o[1];
    rh.ray.org_z = o[2];
    rh.ray.dir_x = dir[0];
    rh.ray.dir_y = dir[1];
    rh.ray.dir_z = dir[2];
    rh.ray.tnear = T_MIN;
    rh.ray.tfar = INFINITY;
    rh.ray.time = 0;
    rh.ray.mask = 0xFFFFFFFF;
    rh.ray.id = 0;
    rh.ray.flags = 0;
    rh.hit.geomID = RTC_INVALID_GEOMETRY_ID;
    rh.hit.instID[0] = RTC_INVALID_GEOMETRY_ID;
    rtcIntersect1(s->scene, &ctx, &rh);
    to_hit(s, rh.hit.geomID, rh.hit.primID, rh.ray.tfar, h);
    planes_hit(s, o, dir, h);
}

static int occluded1(const escene *s, const float *o, const float *dir, float dist) {
    for (int k = 0; k < s->n_planes; k++) {
        const float *p = s->planes + 4 * k;
        float denom = p[0] * dir[0] + p[1] * dir[1] + p[2] * dir[2];
        if (denom > 1e-12f || denom < -1e-12f) {
            float t = (p[3] - (p[0] * o[0] + p[1] * o[1] + p[2] * o[2])) / denom;
            if (t > T_MIN && t < dist) {
                return 1;
            }
        }
    }
    struct RTCIntersectContext ctx;
    rtcInitIntersectContext(&ctx);
    struct RTCRay r;
    r.org_x = o[0];
    r.org_y = o[1];
    r.org_z = o[2];
    r.dir_x = dir[0];
    r.dir_y = dir[1];
    r.dir_z = dir[2];
    r.tnear = T_MIN;
    r.tfar = dist;
    r.time = 0;
    r.mask = 0xFFFFFFFF;
    r.id = 0;
    r.flags = 0;
    rtcOccluded1(s->scene, &ctx, &r);
    return r.tfar < 0;
}

static void trace(const escene *s, const float *o, const float *dir, int depth, float *out);

/* The colour of a ray from o along dir that hit h (h->kind >= 0). */
static void shade(const escene *s, const float *o, const float *dir, const hit *h, int depth, float *out) {
    float t = h->t;
    float hp[3] = { o[0] + t * dir[0], o[1] + t * dir[1], o[2] + t * dir[2] };
    float n[3];
    int mat;
    if (h->kind == KIND_SPHERE) {
        const float *c = s->sph + 4 * h->index;
        float inv = 1.0f / c[3];
        n[0] = (hp[0] - c[0]) * inv;
        n[1] = (hp[1] - c[1]) * inv;
        n[2] = (hp[2] - c[2]) * inv;
        mat = s->sph_mat[h->index];
    } else if (h->kind == KIND_TRIANGLE) {
        const float *tn = s->tri_n + 3 * h->index;
        n[0] = tn[0];
        n[1] = tn[1];
        n[2] = tn[2];
        mat = s->tri_mat[h->index];
    } else {
        const float *p = s->planes + 4 * h->index;
        n[0] = p[0];
        n[1] = p[1];
        n[2] = p[2];
        mat = s->plane_mat[h->index];
    }
    float ddn = dir[0] * n[0] + dir[1] * n[1] + dir[2] * n[2];
    int inside = ddn > 0;
    if (inside) {
        n[0] = -n[0];
        n[1] = -n[1];
        n[2] = -n[2];
        ddn = -ddn;
    }
    const material *m = &s->mats[mat];
    const float *base = m->color;
    if (m->scale > 0) {
        float is = 1.0f / m->scale;
        int64_t cell = (int64_t) floorf(hp[0] * is) + (int64_t) floorf(hp[1] * is + 1e-4f) + (int64_t) floorf(hp[2] * is);
        if ((cell & 1) != 0) {
            base = m->checker;
        }
    }
    float c0 = base[0] * s->amb, c1 = base[1] * s->amb, c2 = base[2] * s->amb;
    float sp[3] = { hp[0] + n[0] * EPS, hp[1] + n[1] * EPS, hp[2] + n[2] * EPS };
    for (int k = 0; k < s->n_lights; k++) {
        const float *L = s->lights + LIGHT * k;
        float l[3] = { L[0] - hp[0], L[1] - hp[1], L[2] - hp[2] };
        float dist = sqrtf(l[0] * l[0] + l[1] * l[1] + l[2] * l[2]);
        float id = 1.0f / dist;
        l[0] *= id;
        l[1] *= id;
        l[2] *= id;
        float ndl = n[0] * l[0] + n[1] * l[1] + n[2] * l[2];
        if (ndl <= 0 || occluded1(s, sp, l, dist)) {
            continue;
        }
        float kd = m->diffuse * ndl;
        c0 += base[0] * L[3] * kd;
        c1 += base[1] * L[4] * kd;
        c2 += base[2] * L[5] * kd;
        if (m->specular > 0) {
            float rd = 2 * ndl;
            float spv = -((rd * n[0] - l[0]) * dir[0] + (rd * n[1] - l[1]) * dir[1] + (rd * n[2] - l[2]) * dir[2]);
            if (spv > 0) {
                float ks = m->specular * powf(spv, m->shininess);
                c0 += L[3] * ks;
                c1 += L[4] * ks;
                c2 += L[5] * ks;
            }
        }
    }
    float local = 1 - m->refl - m->trans;
    if (local < 0) {
        local = 0;
    }
    if (depth >= s->max_depth) {
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        return;
    }
    c0 *= local;
    c1 *= local;
    c2 *= local;
    /* reflection about the normal facing the ray, as in the double kernels */
    float dn = ddn;
    float r[3] = { dir[0] - 2 * dn * n[0], dir[1] - 2 * dn * n[1], dir[2] - 2 * dn * n[2] };
    float sub[3];
    if (m->refl > 0) {
        trace(s, sp, r, depth + 1, sub);
        c0 += m->refl * sub[0];
        c1 += m->refl * sub[1];
        c2 += m->refl * sub[2];
    }
    if (m->trans > 0) {
        float eta = inside ? m->ior : 1.0f / m->ior;
        float cosi = -dn;
        float k = 1 - eta * eta * (1 - cosi * cosi);
        if (k < 0) {
            trace(s, sp, r, depth + 1, sub);
        } else {
            float f = eta * cosi - sqrtf(k);
            float td[3] = { eta * dir[0] + f * n[0], eta * dir[1] + f * n[1], eta * dir[2] + f * n[2] };
            float ip[3] = { hp[0] - n[0] * EPS, hp[1] - n[1] * EPS, hp[2] - n[2] * EPS };
            trace(s, ip, td, depth + 1, sub);
        }
        c0 += m->trans * sub[0];
        c1 += m->trans * sub[1];
        c2 += m->trans * sub[2];
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
}

static void trace(const escene *s, const float *o, const float *dir, int depth, float *out) {
    hit h;
    intersect1(s, o, dir, &h);
    if (h.kind < 0) {
        out[0] = s->bg[0];
        out[1] = s->bg[1];
        out[2] = s->bg[2];
        return;
    }
    shade(s, o, dir, &h, depth, out);
}

static inline void primary(const escene *s, int x, int y, int sx, int sy, float inv, float *dir) {
    float u = ((float) x + ((float) sx + 0.5f) * inv) / (float) s->width * 2.0f - 1.0f;
    float v = 1.0f - ((float) y + ((float) sy + 0.5f) * inv) / (float) s->height * 2.0f;
    const float *c = s->cam;
    float dx = c[3] + u * c[6] + v * c[9];
    float dy = c[4] + u * c[7] + v * c[10];
    float dz = c[5] + u * c[8] + v * c[11];
    float il = 1.0f / sqrtf(dx * dx + dy * dy + dz * dz);
    dir[0] = dx * il;
    dir[1] = dy * il;
    dir[2] = dz * il;
}

/*
 * Renders the rectangle x0,y0,w,h into out (16-bit RGB, row by row), aa x aa samples per pixel; the
 * samples of a pixel go to Embree as packets of 4. Returns 0.
 */
int tessera_embree_render(void *handle, int x0, int y0, int w, int h, int aa, uint16_t *out) {
    const escene *s = handle;
    /* Embree's advice: flush denormals to zero while tracing; the caller's (the JVM's) mode comes back after */
    unsigned int mxcsr = _mm_getcsr();
    _MM_SET_FLUSH_ZERO_MODE(_MM_FLUSH_ZERO_ON);
    _MM_SET_DENORMALS_ZERO_MODE(_MM_DENORMALS_ZERO_ON);
    float inv = 1.0f / (float) aa;
    int n = aa * aa;
    float dirs[64 * 3];
    const float *eye = s->cam;
    for (int py = 0; py < h; py++) {
        for (int px = 0; px < w; px++) {
            int x = x0 + px, y = y0 + py;
            float acc[3] = { 0, 0, 0 };
            for (int k = 0; k < n; k++) {
                primary(s, x, y, k % aa, k / aa, inv, dirs + 3 * k);
            }
            if (s->packets && n >= 4) {
                for (int first = 0; first < n; first += 4) {
                    RTC_ALIGN(16) int valid[4];
                    RTC_ALIGN(16) struct RTCRayHit4 rh;
                    for (int l = 0; l < 4; l++) {
                        int k = first + l < n ? first + l : first;
                        valid[l] = first + l < n ? -1 : 0;
                        rh.ray.org_x[l] = eye[0];
                        rh.ray.org_y[l] = eye[1];
                        rh.ray.org_z[l] = eye[2];
                        rh.ray.dir_x[l] = dirs[3 * k];
                        rh.ray.dir_y[l] = dirs[3 * k + 1];
                        rh.ray.dir_z[l] = dirs[3 * k + 2];
                        rh.ray.tnear[l] = T_MIN;
                        rh.ray.tfar[l] = INFINITY;
                        rh.ray.time[l] = 0;
                        rh.ray.mask[l] = 0xFFFFFFFF;
                        rh.ray.id[l] = l;
                        rh.ray.flags[l] = 0;
                        rh.hit.geomID[l] = RTC_INVALID_GEOMETRY_ID;
                        rh.hit.instID[0][l] = RTC_INVALID_GEOMETRY_ID;
                    }
                    struct RTCIntersectContext ctx;
                    rtcInitIntersectContext(&ctx);
                    ctx.flags = RTC_INTERSECT_CONTEXT_FLAG_COHERENT;
                    rtcIntersect4(valid, s->scene, &ctx, &rh);
                    for (int l = 0; l < 4 && first + l < n; l++) {
                        const float *dir = dirs + 3 * (first + l);
                        hit hh;
                        to_hit(s, rh.hit.geomID[l], rh.hit.primID[l], rh.ray.tfar[l], &hh);
                        planes_hit(s, eye, dir, &hh);
                        float c[3];
                        if (hh.kind < 0) {
                            c[0] = s->bg[0];
                            c[1] = s->bg[1];
                            c[2] = s->bg[2];
                        } else {
                            shade(s, eye, dir, &hh, 0, c);
                        }
                        acc[0] += c[0];
                        acc[1] += c[1];
                        acc[2] += c[2];
                    }
                }
            } else {
                for (int k = 0; k < n; k++) {
                    float c[3];
                    trace(s, eye, dirs + 3 * k, 0, c);
                    acc[0] += c[0];
                    acc[1] += c[1];
                    acc[2] += c[2];
                }
            }
            int o = 3 * (py * w + px);
            for (int k = 0; k < 3; k++) {
                float val = acc[k] / (float) n;
                val = val < 0 ? 0 : val > 1 ? 1 : val;
                out[o + k] = (uint16_t) (int) (val * 65535.0f + 0.5f);
            }
        }
    }
    _mm_setcsr(mxcsr);
    return 0;
}
