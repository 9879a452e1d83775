// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.tessera.render.core.SceneException;

/**
 * Reads the geometry of a Wavefront OBJ file: {@code v} vertices and {@code f} faces (any of the
 * {@code v}, {@code v/vt}, {@code v//vn}, {@code v/vt/vn} forms, negative indices, polygons split into
 * a fan of triangles). Everything else (normals, texture coordinates, groups, materials) is ignored.
 */
final class ObjReader {
    private ObjReader() {
    }

    /** Triangles as 9 doubles each (v0, v1, v2). */
    static List<double[]> read(Path file) throws SceneException {
        List<double[]> vertices = new ArrayList<>();
        List<double[]> triangles = new ArrayList<>();
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                line = line.strip();
                if (line.startsWith("v ")) {
                    String[] p = line.split("\\s+");
                    if (p.length < 4) {
                        throw new SceneException(file + ":" + lineNo + ": a vertex needs x y z");
                    }
                    vertices.add(new double[] { Double.parseDouble(p[1]), Double.parseDouble(p[2]),
                            Double.parseDouble(p[3]) });
                } else if (line.startsWith("f ")) {
                    String[] p = line.split("\\s+");
                    if (p.length < 4) {
                        throw new SceneException(file + ":" + lineNo + ": a face needs at least 3 vertices");
                    }
                    int[] idx = new int[p.length - 1];
                    for (int k = 1; k < p.length; k++) {
                        String ref = p[k];
                        int slash = ref.indexOf('/');
                        int n = Integer.parseInt(slash < 0 ? ref : ref.substring(0, slash));
                        int i = n < 0 ? vertices.size() + n : n - 1;
                        if (i < 0 || i >= vertices.size()) {
                            throw new SceneException(file + ":" + lineNo + ": vertex " + n + " does not exist");
                        }
                        idx[k - 1] = i;
                    }
                    for (int k = 1; k + 1 < idx.length; k++) {
                        double[] a = vertices.get(idx[0]);
                        double[] b = vertices.get(idx[k]);
                        double[] c = vertices.get(idx[k + 1]);
                        triangles.add(new double[] { a[0], a[1], a[2], b[0], b[1], b[2], c[0], c[1], c[2] });
                    }
                }
            }
        } catch (NumberFormatException e) {
            throw new SceneException(file + ":" + lineNo + ": bad number: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SceneException("cannot read mesh " + file + ": " + e.getMessage(), e);
        }
        if (triangles.isEmpty()) {
            throw new SceneException("mesh " + file + " has no faces");
        }
        return triangles;
    }
}
