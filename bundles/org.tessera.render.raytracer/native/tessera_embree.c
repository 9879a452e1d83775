// SPDX-License-Identifier: EPL-2.0
/*
 * Tessera's Embree kernel: the same Whitted shading as JavaKernel / tessera_raytracer.c, in single
 * precision, with Intel Embree 3 as the traversal kernel (spheres as RTC_GEOMETRY_TYPE_SPHERE_POINT,
 * triangles as RTC_GEOMETRY_TYPE_TRIANGLE; infinite planes are tested here, in double precision). The
 * samples of one pixel, and the shadow, reflection and refraction rays they spawn, are traced as packets
 * of 4 (rtcIntersect4/rtcOccluded4), so the grouping depends on the pixel only and every tiling gives the
 * same pixels. Reads the packed arrays of PackedScene.java (layout version 1).
 *
 * Its pixels differ from the double-precision kernels (float rounding, Embree's own triangle and sphere
 * tests): a frame must not mix this kernel with another one (docs/scene-format.md, "Kernels").
 * Compiled only where the Embree headers are installed (libembree-dev); links libembree3.
 */
#include <embree3/rtcore.h>
#include <math.h>
#include <pthread.h>
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
    int n_sph, n_tri, n_planes, n_lights, max_depth, width, height;
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
    double dt; /* plane hits: t in double */
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

/* The process's one Embree device (its start costs tens of milliseconds), made by tessera_embree_check. */
static RTCDevice shared_device;
static pthread_mutex_t device_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Starts the shared Embree device (BVH builds on build_threads threads, 0 = all cores) if it is not
 * running and checks that it has what this kernel needs: 0, or -1 with tessera_embree_error set.
 */
int tessera_embree_check(int build_threads) {
    pthread_mutex_lock(&device_lock);
    int rc = 0;
    if (shared_device == NULL) {
        char config[64];
        if (build_threads > 0) {
            snprintf(config, sizeof config, "threads=%d", build_threads);
        } else {
            config[0] = 0;
        }
        RTCDevice d = rtcNewDevice(config);
        if (d == NULL) {
            last_error = "rtcNewDevice failed (does this CPU support SSE2?)";
            rc = -1;
        } else if (!rtcGetDeviceProperty(d, RTC_DEVICE_PROPERTY_NATIVE_RAY4_SUPPORTED)) {
            last_error = "this Embree library has no 4-ray packets (RTC_DEVICE_PROPERTY_NATIVE_RAY4_SUPPORTED)";
            rtcReleaseDevice(d);
            rc = -1;
        } else {
            shared_device = d;
        }
    }
    pthread_mutex_unlock(&device_lock);
    return rc;
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
 * Builds the Embree scene of a packed scene on the shared device. build_threads: threads of Embree's BVH
 * builds (0 = all cores), taken by the first call that starts the device. Returns NULL (and sets
 * tessera_embree_error) when Embree fails.
 */
void *tessera_embree_scene(const double *d, const int32_t *in, int build_threads) {
    if (tessera_embree_check(build_threads) != 0) {
        return NULL;
    }
    escene *s = calloc(1, sizeof(escene));
    s->device = shared_device;
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

/* Planes in double precision: their far hits (towards the horizon) lose too much in float. */
static inline void planes_hit(const escene *s, const float *o, const float *dir, hit *h) {
    for (int k = 0; k < s->n_planes; k++) {
        const float *p = s->planes + 4 * k;
        double denom = (double) p[0] * dir[0] + (double) p[1] * dir[1] + (double) p[2] * dir[2];
        if (denom > 1e-12 || denom < -1e-12) {
            double t = (p[3] - ((double) p[0] * o[0] + (double) p[1] * o[1] + (double) p[2] * o[2])) / denom;
            if (t > T_MIN && t < h->t) {
                h->t = (float) t;
                h->dt = t;
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

/* Up to 4 rays traced together: the samples of one pixel, and the rays they spawn. */
typedef struct {
    float o[4][3], d[4][3];
    int valid[4];
} packet;

static void init_ray4(struct RTCRay4 *r, const packet *p, const float *tfar) {
    for (int l = 0; l < 4; l++) {
        r->org_x[l] = p->o[l][0];
        r->org_y[l] = p->o[l][1];
        r->org_z[l] = p->o[l][2];
        r->dir_x[l] = p->d[l][0];
        r->dir_y[l] = p->d[l][1];
        r->dir_z[l] = p->d[l][2];
        r->tnear[l] = T_MIN;
        r->tfar[l] = tfar == NULL ? INFINITY : tfar[l];
        r->time[l] = 0;
        r->mask[l] = 0xFFFFFFFF;
        r->id[l] = l;
        r->flags[l] = 0;
    }
}

/* Traces the valid rays of p; out[l] gets the colour of ray l (untouched for invalid lanes). */
static void trace4(const escene *s, const packet *p, int depth, float out[4][3]) {
    RTC_ALIGN(16) int valid[4];
    RTC_ALIGN(16) struct RTCRayHit4 rh;
    int any = 0;
    for (int l = 0; l < 4; l++) {
        valid[l] = p->valid[l] ? -1 : 0;
        any |= p->valid[l];
        rh.hit.geomID[l] = RTC_INVALID_GEOMETRY_ID;
        rh.hit.instID[0][l] = RTC_INVALID_GEOMETRY_ID;
    }
    if (!any) {
        return;
    }
    init_ray4(&rh.ray, p, NULL);
    struct RTCIntersectContext ctx;
    rtcInitIntersectContext(&ctx);
    ctx.flags = RTC_INTERSECT_CONTEXT_FLAG_COHERENT;
    rtcIntersect4(valid, s->scene, &ctx, &rh);

    hit h[4];
    float hp[4][3], n[4][3], c[4][3], sp[4][3];
    const material *m[4];
    const float *base[4];
    int inside[4], lit[4];
    for (int l = 0; l < 4; l++) {
        lit[l] = 0;
        if (!p->valid[l]) {
            continue;
        }
        to_hit(s, rh.hit.geomID[l], rh.hit.primID[l], rh.ray.tfar[l], &h[l]);
        planes_hit(s, p->o[l], p->d[l], &h[l]);
        if (h[l].kind < 0) {
            out[l][0] = s->bg[0];
            out[l][1] = s->bg[1];
            out[l][2] = s->bg[2];
            continue;
        }
        lit[l] = 1;
        const float *o = p->o[l], *dir = p->d[l];
        float t = h[l].t;
        if (h[l].kind == KIND_PLANE) {
            double dt = h[l].dt;
            hp[l][0] = (float) (o[0] + dt * dir[0]);
            hp[l][1] = (float) (o[1] + dt * dir[1]);
            hp[l][2] = (float) (o[2] + dt * dir[2]);
        } else {
            hp[l][0] = o[0] + t * dir[0];
            hp[l][1] = o[1] + t * dir[1];
            hp[l][2] = o[2] + t * dir[2];
        }
        int mat;
        if (h[l].kind == KIND_SPHERE) {
            const float *sc = s->sph + 4 * h[l].index;
            float inv = 1.0f / sc[3];
            n[l][0] = (hp[l][0] - sc[0]) * inv;
            n[l][1] = (hp[l][1] - sc[1]) * inv;
            n[l][2] = (hp[l][2] - sc[2]) * inv;
            mat = s->sph_mat[h[l].index];
        } else if (h[l].kind == KIND_TRIANGLE) {
            const float *tn = s->tri_n + 3 * h[l].index;
            n[l][0] = tn[0];
            n[l][1] = tn[1];
            n[l][2] = tn[2];
            mat = s->tri_mat[h[l].index];
        } else {
            const float *pl = s->planes + 4 * h[l].index;
            n[l][0] = pl[0];
            n[l][1] = pl[1];
            n[l][2] = pl[2];
            mat = s->plane_mat[h[l].index];
        }
        inside[l] = dir[0] * n[l][0] + dir[1] * n[l][1] + dir[2] * n[l][2] > 0;
        if (inside[l]) {
            n[l][0] = -n[l][0];
            n[l][1] = -n[l][1];
            n[l][2] = -n[l][2];
        }
        m[l] = &s->mats[mat];
        base[l] = m[l]->color;
        if (m[l]->scale > 0) {
            float is = 1.0f / m[l]->scale;
            int64_t cell = (int64_t) floorf(hp[l][0] * is) + (int64_t) floorf(hp[l][1] * is + 1e-4f)
                    + (int64_t) floorf(hp[l][2] * is);
            if ((cell & 1) != 0) {
                base[l] = m[l]->checker;
            }
        }
        c[l][0] = base[l][0] * s->amb;
        c[l][1] = base[l][1] * s->amb;
        c[l][2] = base[l][2] * s->amb;
        sp[l][0] = hp[l][0] + n[l][0] * EPS;
        sp[l][1] = hp[l][1] + n[l][1] * EPS;
        sp[l][2] = hp[l][2] + n[l][2] * EPS;
    }
    /* shadow rays: one packet per light */
    for (int k = 0; k < s->n_lights; k++) {
        const float *L = s->lights + LIGHT * k;
        packet sh;
        float dist[4], ndl[4];
        RTC_ALIGN(16) int sv[4];
        int anyl = 0;
        for (int l = 0; l < 4; l++) {
            sh.valid[l] = 0;
            sv[l] = 0;
            sh.o[l][0] = sh.o[l][1] = sh.o[l][2] = 0;
            sh.d[l][0] = sh.d[l][1] = 0;
            sh.d[l][2] = 1;
            dist[l] = 0;
            if (!lit[l]) {
                continue;
            }
            float lx = L[0] - hp[l][0], ly = L[1] - hp[l][1], lz = L[2] - hp[l][2];
            dist[l] = sqrtf(lx * lx + ly * ly + lz * lz);
            float id = 1.0f / dist[l];
            lx *= id;
            ly *= id;
            lz *= id;
            ndl[l] = n[l][0] * lx + n[l][1] * ly + n[l][2] * lz;
            if (ndl[l] <= 0) {
                continue;
            }
            sh.o[l][0] = sp[l][0];
            sh.o[l][1] = sp[l][1];
            sh.o[l][2] = sp[l][2];
            sh.d[l][0] = lx;
            sh.d[l][1] = ly;
            sh.d[l][2] = lz;
            /* the planes first: a lane they shadow needs no Embree test */
            int blocked = 0;
            for (int q = 0; q < s->n_planes && !blocked; q++) {
                const float *pl = s->planes + 4 * q;
                float denom = pl[0] * lx + pl[1] * ly + pl[2] * lz;
                if (denom > 1e-12f || denom < -1e-12f) {
                    float t = (pl[3] - (pl[0] * sp[l][0] + pl[1] * sp[l][1] + pl[2] * sp[l][2])) / denom;
                    blocked = t > T_MIN && t < dist[l];
                }
            }
            if (!blocked) {
                sh.valid[l] = 1;
                sv[l] = -1;
                anyl = 1;
            }
        }
        if (!anyl) {
            continue;
        }
        RTC_ALIGN(16) struct RTCRay4 r;
        init_ray4(&r, &sh, dist);
        struct RTCIntersectContext ctx2;
        rtcInitIntersectContext(&ctx2);
        ctx2.flags = RTC_INTERSECT_CONTEXT_FLAG_COHERENT;
        rtcOccluded4(sv, s->scene, &ctx2, &r);
        for (int l = 0; l < 4; l++) {
            if (!sh.valid[l] || r.tfar[l] < 0) {
                continue;
            }
            const float *dir = p->d[l];
            float kd = m[l]->diffuse * ndl[l];
            c[l][0] += base[l][0] * L[3] * kd;
            c[l][1] += base[l][1] * L[4] * kd;
            c[l][2] += base[l][2] * L[5] * kd;
            if (m[l]->specular > 0) {
                float rd = 2 * ndl[l];
                const float *ld = sh.d[l];
                float spv = -((rd * n[l][0] - ld[0]) * dir[0] + (rd * n[l][1] - ld[1]) * dir[1]
                        + (rd * n[l][2] - ld[2]) * dir[2]);
                if (spv > 0) {
                    float ks = m[l]->specular * powf(spv, m[l]->shininess);
                    c[l][0] += L[3] * ks;
                    c[l][1] += L[4] * ks;
                    c[l][2] += L[5] * ks;
                }
            }
        }
    }
    if (depth >= s->max_depth) {
        for (int l = 0; l < 4; l++) {
            if (lit[l]) {
                out[l][0] = c[l][0];
                out[l][1] = c[l][1];
                out[l][2] = c[l][2];
            }
        }
        return;
    }
    /* reflection and refraction: one packet each, of the lanes that need them */
    packet rp, tp;
    int anyr = 0, anyt = 0;
    float dn[4];
    for (int l = 0; l < 4; l++) {
        rp.valid[l] = tp.valid[l] = 0;
        for (int a = 0; a < 3; a++) {
            rp.o[l][a] = tp.o[l][a] = 0;
            rp.d[l][a] = tp.d[l][a] = a == 2;
        }
        if (!lit[l]) {
            continue;
        }
        float local = 1 - m[l]->refl - m[l]->trans;
        if (local < 0) {
            local = 0;
        }
        c[l][0] *= local;
        c[l][1] *= local;
        c[l][2] *= local;
        const float *dir = p->d[l];
        dn[l] = dir[0] * n[l][0] + dir[1] * n[l][1] + dir[2] * n[l][2];
        float r0 = dir[0] - 2 * dn[l] * n[l][0], r1 = dir[1] - 2 * dn[l] * n[l][1], r2 = dir[2] - 2 * dn[l] * n[l][2];
        if (m[l]->refl > 0) {
            rp.valid[l] = 1;
            anyr = 1;
            rp.o[l][0] = sp[l][0];
            rp.o[l][1] = sp[l][1];
            rp.o[l][2] = sp[l][2];
            rp.d[l][0] = r0;
            rp.d[l][1] = r1;
            rp.d[l][2] = r2;
        }
        if (m[l]->trans > 0) {
            tp.valid[l] = 1;
            anyt = 1;
            float eta = inside[l] ? m[l]->ior : 1.0f / m[l]->ior;
            float cosi = -dn[l];
            float k = 1 - eta * eta * (1 - cosi * cosi);
            if (k < 0) {
                tp.o[l][0] = sp[l][0];
                tp.o[l][1] = sp[l][1];
                tp.o[l][2] = sp[l][2];
                tp.d[l][0] = r0;
                tp.d[l][1] = r1;
                tp.d[l][2] = r2;
            } else {
                float f = eta * cosi - sqrtf(k);
                tp.o[l][0] = hp[l][0] - n[l][0] * EPS;
                tp.o[l][1] = hp[l][1] - n[l][1] * EPS;
                tp.o[l][2] = hp[l][2] - n[l][2] * EPS;
                tp.d[l][0] = eta * dir[0] + f * n[l][0];
                tp.d[l][1] = eta * dir[1] + f * n[l][1];
                tp.d[l][2] = eta * dir[2] + f * n[l][2];
            }
        }
    }
    float sub[4][3];
    if (anyr) {
        trace4(s, &rp, depth + 1, sub);
        for (int l = 0; l < 4; l++) {
            if (rp.valid[l]) {
                c[l][0] += m[l]->refl * sub[l][0];
                c[l][1] += m[l]->refl * sub[l][1];
                c[l][2] += m[l]->refl * sub[l][2];
            }
        }
    }
    if (anyt) {
        trace4(s, &tp, depth + 1, sub);
        for (int l = 0; l < 4; l++) {
            if (tp.valid[l]) {
                c[l][0] += m[l]->trans * sub[l][0];
                c[l][1] += m[l]->trans * sub[l][1];
                c[l][2] += m[l]->trans * sub[l][2];
            }
        }
    }
    for (int l = 0; l < 4; l++) {
        if (lit[l]) {
            out[l][0] = c[l][0];
            out[l][1] = c[l][1];
            out[l][2] = c[l][2];
        }
    }
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
 * Renders the rectangle x0,y0,w,h into out (16-bit RGB, row by row), aa x aa samples per pixel. The
 * samples of a pixel go to Embree as packets of 4 (and so do their shadow, reflection and refraction
 * rays): the grouping depends on the pixel alone, so every tiling gives the same pixels. Returns 0.
 */
int tessera_embree_render(void *handle, int x0, int y0, int w, int h, int aa, uint16_t *out) {
    const escene *s = handle;
    /* Embree's advice: flush denormals to zero while tracing; the caller's (the JVM's) mode comes back after */
    unsigned int mxcsr = _mm_getcsr();
    _MM_SET_FLUSH_ZERO_MODE(_MM_FLUSH_ZERO_ON);
    _MM_SET_DENORMALS_ZERO_MODE(_MM_DENORMALS_ZERO_ON);
    float inv = 1.0f / (float) aa;
    int n = aa * aa;
    for (int py = 0; py < h; py++) {
        for (int px = 0; px < w; px++) {
            int x = x0 + px, y = y0 + py;
            float acc[3] = { 0, 0, 0 };
            for (int first = 0; first < n; first += 4) {
                packet p;
                float c[4][3] = { { 0 } };
                for (int l = 0; l < 4; l++) {
                    int k = first + l;
                    p.valid[l] = k < n;
                    p.o[l][0] = s->cam[0];
                    p.o[l][1] = s->cam[1];
                    p.o[l][2] = s->cam[2];
                    primary(s, x, y, (k < n ? k : first) % aa, (k < n ? k : first) / aa, inv, p.d[l]);
                }
                trace4(s, &p, 0, c);
                for (int l = 0; l < 4 && first + l < n; l++) {
                    acc[0] += c[l][0];
                    acc[1] += c[l][1];
                    acc[2] += c[l][2];
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
