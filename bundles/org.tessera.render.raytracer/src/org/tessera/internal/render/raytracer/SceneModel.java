// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import java.util.List;
import java.util.Map;

/**
 * The JSON scene file as Gson reads it (see docs/scene-format.md). Coordinates are POV-Ray's
 * left-handed system: x right, y up, z into the screen. Colours are linear RGB, 0..1 per channel.
 */
final class SceneModel {
    Camera camera;
    double[] background = { 0, 0, 0 };
    double ambient = 0.1;
    int maxDepth = 5;
    List<Light> lights = List.of();
    Map<String, Material> materials = Map.of();
    List<SceneObject> objects = List.of();

    static final class Camera {
        double[] position = { 0, 0, -5 };
        double[] lookAt = { 0, 0, 0 };
        double[] up = { 0, 1, 0 };
        /** Horizontal field of view, degrees. */
        double fov = 60;
        /** Distance between the eyes of a stereo camera, scene units. */
        double eyeSeparation = 0.065;
        /** Degrees the camera orbits around lookAt (about up) from clock 0 to clock 1. */
        double orbitDegrees = 0;
    }

    static final class Light {
        double[] position = { 0, 10, 0 };
        double[] color = { 1, 1, 1 };
    }

    static final class Material {
        double[] color = { 0.8, 0.8, 0.8 };
        double[] checker;
        double checkerScale = 1;
        double diffuse = 0.8;
        double specular = 0.0;
        double shininess = 20;
        double reflection = 0.0;
        double transparency = 0.0;
        double ior = 1.5;
    }

    static final class SceneObject {
        String type;
        String material;
        double[] center;
        double radius = 1;
        /** Scene units per clock unit (animation). */
        double[] velocity;
        double[] normal;
        double offset;
        double[] min;
        double[] max;
        double[][] vertices;
        String obj;
        double scale = 1;
        double[] translate;
        double rotateY;
        /** Mesh: times every triangle is split into 4 at its edge midpoints (0..4); the shape stays the same. */
        int subdivide;
    }
}
