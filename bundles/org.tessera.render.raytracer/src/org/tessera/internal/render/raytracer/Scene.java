// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import java.util.ArrayList;
import java.util.List;

/**
 * A scene at one animation clock, ready to pack: primitives with material indices, lights, camera.
 * Boxes are stored as boxes (for the POV-Ray export) and as 12 triangles (for rendering).
 */
final class Scene {
    record Material(String name, double[] color, double[] checker, double checkerScale, double diffuse,
            double specular, double shininess, double reflection, double transparency, double ior) {
    }

    record Sphere(double[] center, double radius, int material) {
    }

    record Triangle(double[] v0, double[] v1, double[] v2, int material) {
    }

    record Plane(double[] normal, double offset, int material) {
    }

    record Box(double[] min, double[] max, int material) {
    }

    /** A group of triangles from one mesh or box, kept together for the POV-Ray export. */
    record Mesh(int firstTriangle, int count, int material, Box box) {
    }

    record Light(double[] position, double[] color) {
    }

    double[] eye;
    double[] lookAt;
    double[] up;
    double fov;
    double eyeSeparation;
    double[] background;
    double ambient;
    int maxDepth;
    final List<Material> materials = new ArrayList<>();
    final List<Light> lights = new ArrayList<>();
    final List<Sphere> spheres = new ArrayList<>();
    final List<Triangle> triangles = new ArrayList<>();
    final List<Plane> planes = new ArrayList<>();
    final List<Mesh> meshes = new ArrayList<>();
}
