// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.raytracer;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Scene} as POV-Ray 3.7 scene text, so both engines can render the same work. Both
 * use POV-Ray's left-handed coordinates and a horizontal field of view, so the framing matches; the
 * shading models differ (POV-Ray's ambient, phong and fresnel-less reflection are close but not equal).
 */
final class PovExporter {
    private PovExporter() {
    }

    static String export(Scene s, int width, int height) {
        StringBuilder b = new StringBuilder();
        b.append("// Exported by Tessera's built-in raytracer\n");
        b.append("#version 3.7;\n");
        b.append("global_settings { assumed_gamma 1.0 max_trace_level ").append(Math.max(1, s.maxDepth + 1))
                .append(" ambient_light rgb <1,1,1> }\n");
        b.append("background { color rgb ").append(v(s.background)).append(" }\n");
        b.append("camera { perspective location ").append(v(s.eye)).append(" look_at ").append(v(s.lookAt))
                .append(" sky ").append(v(s.up)).append(" right x*").append(n((double) width / height))
                .append(" up y angle ").append(n(s.fov)).append(" }\n");
        for (Scene.Light l : s.lights) {
            b.append("light_source { ").append(v(l.position())).append(" color rgb ").append(v(l.color())).append(" }\n");
        }
        Map<Integer, String> names = new HashMap<>();
        for (int k = 0; k < s.materials.size(); k++) {
            Scene.Material m = s.materials.get(k);
            String name = "M" + k;
            names.put(k, name);
            b.append("#declare ").append(name).append(" = material { texture { pigment { ");
            if (m.checker() != null) {
                b.append("checker color rgbt <").append(rgb(m.color())).append(",").append(n(m.transparency()))
                        .append("> color rgbt <").append(rgb(m.checker())).append(",").append(n(m.transparency()))
                        .append("> scale ").append(n(m.checkerScale()));
            } else {
                b.append("color rgbt <").append(rgb(m.color())).append(",").append(n(m.transparency())).append(">");
            }
            b.append(" } finish { ambient ").append(n(s.ambient)).append(" diffuse ").append(n(m.diffuse()));
            if (m.specular() > 0) {
                b.append(" phong ").append(n(m.specular())).append(" phong_size ").append(n(m.shininess()));
            }
            if (m.reflection() > 0) {
                b.append(" reflection ").append(n(m.reflection()));
            }
            b.append(" } } interior { ior ").append(n(m.ior())).append(" } }\n");
        }
        for (Scene.Sphere sp : s.spheres) {
            b.append("sphere { ").append(v(sp.center())).append(", ").append(n(sp.radius())).append(" material { ")
                    .append(names.get(sp.material())).append(" } }\n");
        }
        for (Scene.Plane p : s.planes) {
            b.append("plane { ").append(v(p.normal())).append(", ").append(n(p.offset())).append(" material { ")
                    .append(names.get(p.material())).append(" } }\n");
        }
        for (Scene.Mesh mesh : s.meshes) {
            if (mesh.box() != null) {
                b.append("box { ").append(v(mesh.box().min())).append(", ").append(v(mesh.box().max()))
                        .append(" material { ").append(names.get(mesh.material())).append(" } }\n");
                continue;
            }
            b.append("mesh {\n");
            for (int k = mesh.firstTriangle(); k < mesh.firstTriangle() + mesh.count(); k++) {
                Scene.Triangle t = s.triangles.get(k);
                b.append(" triangle { ").append(v(t.v0())).append(", ").append(v(t.v1())).append(", ")
                        .append(v(t.v2())).append(" }\n");
            }
            b.append(" material { ").append(names.get(mesh.material())).append(" }\n}\n");
        }
        return b.toString();
    }

    private static String v(double[] a) {
        return "<" + n(a[0]) + "," + n(a[1]) + "," + n(a[2]) + ">";
    }

    private static String rgb(double[] a) {
        return n(a[0]) + "," + n(a[1]) + "," + n(a[2]);
    }

    private static String n(double x) {
        return String.format(Locale.ROOT, "%.9g", x);
    }
}
