// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tessera.render.core.SceneException;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

/** Reads a JSON scene file and builds the {@link Scene} at a given animation clock. */
final class SceneLoader {
    private static final Gson GSON = new Gson();

    private SceneLoader() {
    }

    static SceneModel parse(Path file) throws SceneException {
        try (Reader in = Files.newBufferedReader(file)) {
            SceneModel model = GSON.fromJson(in, SceneModel.class);
            if (model == null) {
                throw new SceneException(file + " is empty");
            }
            return model;
        } catch (JsonParseException e) {
            throw new SceneException("scene " + file + " is not valid JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SceneException("cannot read scene " + file + ": " + e.getMessage(), e);
        }
    }

    static Scene build(SceneModel m, Path folder, double clock, Map<String, List<double[]>> meshCache)
            throws SceneException {
        Scene s = new Scene();
        SceneModel.Camera cam = m.camera == null ? new SceneModel.Camera() : m.camera;
        s.lookAt = vec(cam.lookAt, "camera.lookAt");
        double[] offset = Vec.sub(vec(cam.position, "camera.position"), s.lookAt);
        s.eye = Vec.add(s.lookAt, Vec.rotateY(offset, cam.orbitDegrees * clock));
        s.up = vec(cam.up, "camera.up");
        if (!(cam.fov > 0 && cam.fov < 180)) {
            throw new SceneException("camera.fov must be between 0 and 180 degrees: " + cam.fov);
        }
        s.fov = cam.fov;
        s.eyeSeparation = cam.eyeSeparation;
        s.background = vec(m.background, "background");
        s.ambient = m.ambient;
        s.maxDepth = Math.max(0, Math.min(16, m.maxDepth));
        Map<String, Integer> materialIndex = new HashMap<>();
        s.materials.add(new Scene.Material("default", new double[] { 0.8, 0.8, 0.8 }, null, 1, 0.8, 0, 20, 0, 0, 1.5));
        materialIndex.put("default", 0);
        if (m.materials != null) {
            for (var e : m.materials.entrySet()) {
                SceneModel.Material mm = e.getValue();
                materialIndex.put(e.getKey(), s.materials.size());
                s.materials.add(new Scene.Material(e.getKey(), vec(mm.color, "materials." + e.getKey() + ".color"),
                        mm.checker == null ? null : vec(mm.checker, "materials." + e.getKey() + ".checker"),
                        mm.checkerScale <= 0 ? 1 : mm.checkerScale, mm.diffuse, mm.specular, Math.max(1, mm.shininess),
                        mm.reflection, mm.transparency, mm.ior <= 0 ? 1 : mm.ior));
            }
        }
        if (m.lights != null) {
            for (SceneModel.Light l : m.lights) {
                s.lights.add(new Scene.Light(vec(l.position, "light.position"), vec(l.color, "light.color")));
            }
        }
        int n = 0;
        for (SceneModel.SceneObject o : m.objects == null ? List.<SceneModel.SceneObject>of() : m.objects) {
            n++;
            String where = "objects[" + (n - 1) + "]";
            if (o.type == null) {
                throw new SceneException(where + " has no \"type\"");
            }
            Integer mat = materialIndex.get(o.material == null ? "default" : o.material);
            if (mat == null) {
                throw new SceneException(where + " uses unknown material \"" + o.material + "\"");
            }
            switch (o.type) {
                case "sphere" -> {
                    double[] c = vec(o.center, where + ".center");
                    if (o.velocity != null) {
                        c = Vec.add(c, Vec.scale(vec(o.velocity, where + ".velocity"), clock));
                    }
                    if (!(o.radius > 0)) {
                        throw new SceneException(where + ".radius must be positive");
                    }
                    s.spheres.add(new Scene.Sphere(c, o.radius, mat));
                }
                case "plane" -> s.planes.add(new Scene.Plane(Vec.normalize(vec(o.normal, where + ".normal")), o.offset, mat));
                case "box" -> addBox(s, new Scene.Box(vec(o.min, where + ".min"), vec(o.max, where + ".max"), mat));
                case "triangle" -> {
                    if (o.vertices == null || o.vertices.length != 3) {
                        throw new SceneException(where + ".vertices must hold 3 points");
                    }
                    int first = s.triangles.size();
                    s.triangles.add(new Scene.Triangle(vec(o.vertices[0], where), vec(o.vertices[1], where),
                            vec(o.vertices[2], where), mat));
                    s.meshes.add(new Scene.Mesh(first, 1, mat, null));
                }
                case "mesh" -> {
                    if (o.obj == null) {
                        throw new SceneException(where + ": a mesh needs \"obj\", the OBJ file relative to the scene");
                    }
                    Path objFile = ObjReader.inside(folder, o.obj, where);
                    List<double[]> tris = meshCache.get(objFile.toString());
                    if (tris == null) {
                        tris = ObjReader.read(objFile);
                        meshCache.put(objFile.toString(), tris);
                    }
                    double[] t = o.translate == null ? new double[3] : vec(o.translate, where + ".translate");
                    if (o.subdivide < 0 || o.subdivide > MAX_SUBDIVIDE) {
                        throw new SceneException(where + ".subdivide must be 0.." + MAX_SUBDIVIDE + ": " + o.subdivide);
                    }
                    if (o.subdivide > 0) {
                        long count = (long) tris.size() << (2 * o.subdivide);
                        long max = Runtime.getRuntime().maxMemory() / 4 / 400;
                        if (count > max) {
                            throw new SceneException(where + ": subdividing gives " + count + " triangles, more than this process's"
                                    + " memory holds (" + max + "; give it more with -Xmx)");
                        }
                        tris = subdivide(tris, o.subdivide);
                    }
                    int first = s.triangles.size();
                    for (double[] tri : tris) {
                        double[][] v = new double[3][];
                        for (int k = 0; k < 3; k++) {
                            double[] p = { tri[3 * k] * o.scale, tri[3 * k + 1] * o.scale, tri[3 * k + 2] * o.scale };
                            v[k] = Vec.add(Vec.rotateY(p, o.rotateY), t);
                        }
                        s.triangles.add(new Scene.Triangle(v[0], v[1], v[2], mat));
                    }
                    s.meshes.add(new Scene.Mesh(first, tris.size(), mat, null));
                }
                default -> throw new SceneException(where + " has unknown type \"" + o.type
                        + "\" (sphere, plane, box, triangle, mesh)");
            }
        }
        return s;
    }

    /** Largest {@code subdivide} of a mesh: {@value} (each level multiplies the triangles by 4). */
    static final int MAX_SUBDIVIDE = 4;

    /** Each triangle (9 doubles) split {@code levels} times into 4 at its edge midpoints, in a fixed order. */
    static List<double[]> subdivide(List<double[]> tris, int levels) {
        List<double[]> cur = tris;
        for (int l = 0; l < levels; l++) {
            List<double[]> next = new java.util.ArrayList<>(cur.size() * 4);
            for (double[] t : cur) {
                double[] a = { t[0], t[1], t[2] };
                double[] b = { t[3], t[4], t[5] };
                double[] c = { t[6], t[7], t[8] };
                double[] ab = Vec.scale(Vec.add(a, b), 0.5);
                double[] bc = Vec.scale(Vec.add(b, c), 0.5);
                double[] ca = Vec.scale(Vec.add(c, a), 0.5);
                next.add(tri(a, ab, ca));
                next.add(tri(ab, b, bc));
                next.add(tri(ca, bc, c));
                next.add(tri(ab, bc, ca));
            }
            cur = next;
        }
        return cur;
    }

    private static double[] tri(double[] a, double[] b, double[] c) {
        return new double[] { a[0], a[1], a[2], b[0], b[1], b[2], c[0], c[1], c[2] };
    }

    private static void addBox(Scene s, Scene.Box b) {
        double[] lo = b.min();
        double[] hi = b.max();
        double[][] c = new double[8][];
        for (int i = 0; i < 8; i++) {
            c[i] = new double[] { (i & 1) == 0 ? lo[0] : hi[0], (i & 2) == 0 ? lo[1] : hi[1], (i & 4) == 0 ? lo[2] : hi[2] };
        }
        int[][] faces = { { 0, 2, 3, 1 }, { 4, 5, 7, 6 }, { 0, 1, 5, 4 }, { 2, 6, 7, 3 }, { 0, 4, 6, 2 }, { 1, 3, 7, 5 } };
        int first = s.triangles.size();
        for (int[] f : faces) {
            s.triangles.add(new Scene.Triangle(c[f[0]], c[f[1]], c[f[2]], b.material()));
            s.triangles.add(new Scene.Triangle(c[f[0]], c[f[2]], c[f[3]], b.material()));
        }
        s.meshes.add(new Scene.Mesh(first, 12, b.material(), b));
    }

    private static double[] vec(double[] v, String where) throws SceneException {
        if (v == null || v.length != 3) {
            throw new SceneException(where + " must be a list of 3 numbers");
        }
        for (double d : v) {
            if (!Double.isFinite(d)) {
                throw new SceneException(where + " holds a number that is not finite");
            }
        }
        return v.clone();
    }
}
