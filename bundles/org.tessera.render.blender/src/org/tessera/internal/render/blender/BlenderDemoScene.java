// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.blender;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tessera.core.FrameRange;
import org.tessera.internal.render.core.EngineProcesses;
import org.tessera.render.core.DemoScene;
import org.tessera.render.core.RenderEngine;
import org.tessera.render.core.RenderException;
import org.tessera.render.core.RenderRequest;
import org.tessera.render.core.RenderScene;

/**
 * The Blender demo of {@code tessera demo --engine blender}: a Cycles scene made by Blender's own Python
 * ({@link #SCRIPT}; no binary {@code .blend} ships with Tessera) — a checker floor, a glass, a glossy and a
 * diffuse sphere, an area light and a camera moving over frames 1-3 — rendered at 320x240, 32 samples, as
 * 16-bit PNGs, so that each frame equals what {@code blender -b demo.blend -f N} writes. The script is
 * Tessera's own and reads no scene, so it runs outside the scene sandbox, as {@code blender --version} does.
 */
@Component(service = DemoScene.class)
public class BlenderDemoScene implements DemoScene {
    /** The Blender engine of this bundle: its configured program writes the scene. */
    @Reference(target = "(component.name=org.tessera.internal.render.blender.BlenderEngine)")
    private RenderEngine engine;

    static final int WIDTH = 320;
    static final int HEIGHT = 240;
    static final int FRAMES = 3;
    static final int SAMPLES = 32;

    private static final String SCRIPT = """
            import bpy, math, os, sys
            out = os.path.abspath(sys.argv[sys.argv.index("--") + 1])
            W, H, FRAMES, SAMPLES = %d, %d, %d, %d
            bpy.ops.wm.read_factory_settings(use_empty=True)
            bpy.context.preferences.filepaths.save_version = 0
            s = bpy.context.scene
            s.render.engine = 'CYCLES'
            s.cycles.device = 'CPU'
            s.cycles.samples = SAMPLES
            s.cycles.seed = 1
            s.cycles.use_denoising = False
            s.render.resolution_x, s.render.resolution_y, s.render.resolution_percentage = W, H, 100
            im = s.render.image_settings
            im.file_format, im.color_mode, im.color_depth = 'PNG', 'RGB', '16'
            world = bpy.data.worlds.new("World")
            s.world = world
            world.use_nodes = True
            world.node_tree.nodes["Background"].inputs[0].default_value = (0.25, 0.35, 0.55, 1)
            def material(name, kind, color=(0.8, 0.2, 0.1, 1)):
                m = bpy.data.materials.new(name)
                m.use_nodes = True
                nt = m.node_tree
                bsdf = nt.nodes["Principled BSDF"]
                if kind == "glass":
                    nt.nodes.remove(bsdf)
                    glass = nt.nodes.new("ShaderNodeBsdfGlass")
                    nt.links.new(glass.outputs[0], nt.nodes["Material Output"].inputs[0])
                elif kind == "checker":
                    checker = nt.nodes.new("ShaderNodeTexChecker")
                    checker.inputs["Scale"].default_value = 12
                    nt.links.new(checker.outputs[0], bsdf.inputs["Base Color"])
                else:
                    bsdf.inputs["Base Color"].default_value = color
                    bsdf.inputs["Metallic"].default_value = 1.0 if kind == "glossy" else 0.0
                    bsdf.inputs["Roughness"].default_value = 0.1 if kind == "glossy" else 0.6
                return m
            def add(obj, mat):
                obj.data.materials.append(mat)
            bpy.ops.mesh.primitive_plane_add(size=14)
            add(bpy.context.object, material("floor", "checker"))
            bpy.ops.mesh.primitive_uv_sphere_add(location=(-2.2, 0, 1))
            add(bpy.context.object, material("glass", "glass"))
            bpy.ops.mesh.primitive_uv_sphere_add(location=(0, 0.6, 1))
            add(bpy.context.object, material("gold", "glossy", (1.0, 0.75, 0.3, 1)))
            bpy.ops.mesh.primitive_uv_sphere_add(location=(2.2, 0, 1))
            add(bpy.context.object, material("red", "diffuse"))
            bpy.ops.object.light_add(type='AREA', location=(2, -3, 6))
            bpy.context.object.data.energy = 800
            bpy.ops.object.camera_add(location=(-1.5, -9, 3.2), rotation=(math.radians(75), 0, 0))
            cam = bpy.context.object
            s.camera = cam
            s.frame_start, s.frame_end = 1, FRAMES
            cam.keyframe_insert("location", frame=1)
            cam.location.x = 1.5
            cam.keyframe_insert("location", frame=FRAMES)
            bpy.ops.wm.save_as_mainfile(filepath=out)
            """.formatted(WIDTH, HEIGHT, FRAMES, SAMPLES);

    @Override
    public String engine() {
        return "blender";
    }

    @Override
    public String description() {
        return "a Cycles scene made by Blender's Python, frames 1-" + FRAMES + " at " + WIDTH + "x" + HEIGHT + " ("
                + SAMPLES + " samples, 16-bit), with Blender";
    }

    @Override
    public RenderRequest request(Path sceneFolder, Path images) throws RenderException {
        Path scene = make(sceneFolder.resolve("demo.blend"));
        return RenderRequest.of(RenderScene.ofFile(scene), FrameRange.of(1, FRAMES), WIDTH, HEIGHT,
                images.resolve("demo_####.png").toString()).withEngine("blender").withBitDepth(16);
    }

    /** Runs Blender on {@link #SCRIPT} to write the scene; Blender's own lines on failure. */
    Path make(Path blend) throws RenderException {
        Path blender = ((BlenderEngine) engine).executable();
        try {
            Files.createDirectories(blend.getParent());
            Path home = Files.createTempDirectory("tessera-blender-demo-");
            try {
                Path script = home.resolve("make_demo.py");
                Files.writeString(script, SCRIPT);
                ProcessBuilder pb = new ProcessBuilder(blender.toString(), "-b", "--factory-startup", "-noaudio",
                        "--python-exit-code", "1", "--python", script.toString(), "--", blend.toString())
                        .redirectErrorStream(true).directory(home.toFile());
                pb.environment().clear();
                pb.environment().putAll(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", home.toString(), "LANG",
                        "C.UTF-8", "TMPDIR", home.toString()));
                Process p = pb.start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    EngineProcesses.killTree(p);
                    throw new RenderException("Blender did not write the demo scene in 120 s");
                }
                if (p.exitValue() != 0 || !Files.isRegularFile(blend)) {
                    throw new RenderException("Blender could not write the demo scene " + blend + ":\n"
                            + BlenderOutput.quote(new String(out, StandardCharsets.UTF_8), 12));
                }
                return blend;
            } finally {
                EngineProcesses.deleteTree(home);
            }
        } catch (IOException e) {
            throw new RenderException("cannot make the Blender demo scene: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException("interrupted while making the Blender demo scene");
        }
    }

    /** For tests: the frames, width and height of the demo. */
    static List<Integer> shape() {
        return List.of(FRAMES, WIDTH, HEIGHT);
    }
}
