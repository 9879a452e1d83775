# SPDX-License-Identifier: EPL-2.0
# Builds the Blender test scenes with Blender's own Python (no binary .blend is committed):
#   blender -b --factory-startup --python make_scene.py -- OUT.blend KIND [WIDTH HEIGHT SAMPLES]
# KIND: plain    Cycles, an image texture file next to the scene (tex.png), a procedural checker, a glass
#                and a glossy sphere, an area light; adaptive sampling on (Blender's default)
#       anim     the same with the camera moving over frames 1..3
#       composite  the same with a compositor Glare node (fog glow: a whole-image pass)
#       denoise  the same with denoising on as well (Debian's Blender 3.4.1 has no OpenImageDenoise and
#                refuses to render it: "Build without OpenImageDenoiser")
#       eevee    the same rendered with Eevee (Tessera refuses it)
#       autoexec the plain scene carrying a text block that runs on load when auto-execution is on (red sky)
# The scene's own output is a 16-bit RGB PNG at WIDTH x HEIGHT (default 96x72), so that a plain
# `blender -b OUT.blend -o ref_#### -f N` writes the reference frame.
import bpy, math, os, sys

argv = sys.argv[sys.argv.index("--") + 1:]
out = os.path.abspath(argv[0])
kind = argv[1] if len(argv) > 1 else "plain"
width = int(argv[2]) if len(argv) > 2 else 96
height = int(argv[3]) if len(argv) > 3 else 72
samples = int(argv[4]) if len(argv) > 4 else 16

bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.context.preferences.filepaths.save_version = 0
scene = bpy.context.scene
scene.render.engine = 'CYCLES'
scene.cycles.device = 'CPU'
scene.cycles.samples = samples
scene.cycles.seed = 7
scene.cycles.use_adaptive_sampling = True
scene.cycles.adaptive_threshold = 0.05
scene.cycles.use_denoising = False
scene.render.resolution_x = width
scene.render.resolution_y = height
scene.render.resolution_percentage = 100
scene.render.image_settings.file_format = 'PNG'
scene.render.image_settings.color_mode = 'RGB'
scene.render.image_settings.color_depth = '16'

world = bpy.data.worlds.new("World")
scene.world = world
world.use_nodes = True
world.node_tree.nodes["Background"].inputs[0].default_value = (0.2, 0.3, 0.5, 1)

# an image texture in a file of its own next to the scene: nodes must get it with the scene
folder = os.path.dirname(out)
os.makedirs(folder, exist_ok=True)
image = bpy.data.images.new("tex", 32, 32)
px = []
for y in range(32):
    for x in range(32):
        v = 1.0 if ((x // 4) + (y // 4)) % 2 == 0 else 0.1
        px += [v, 0.4 * v + 0.2 * (x / 32), 0.2 + 0.6 * (y / 32), 1.0]
image.pixels = px
image.filepath_raw = os.path.join(folder, "tex.png")
image.file_format = 'PNG'
image.save()


def material(name, kind):
    m = bpy.data.materials.new(name)
    m.use_nodes = True
    nt = m.node_tree
    bsdf = nt.nodes["Principled BSDF"]
    if kind == "glass":
        nt.nodes.remove(bsdf)
        glass = nt.nodes.new("ShaderNodeBsdfGlass")
        glass.inputs["IOR"].default_value = 1.45
        nt.links.new(glass.outputs[0], nt.nodes["Material Output"].inputs[0])
    elif kind == "glossy":
        bsdf.inputs["Metallic"].default_value = 1.0
        bsdf.inputs["Roughness"].default_value = 0.15
    elif kind == "checker":
        checker = nt.nodes.new("ShaderNodeTexChecker")
        checker.inputs["Scale"].default_value = 8
        nt.links.new(checker.outputs[0], bsdf.inputs["Base Color"])
    elif kind == "image":
        tex = nt.nodes.new("ShaderNodeTexImage")
        tex.image = image
        nt.links.new(tex.outputs[0], bsdf.inputs["Base Color"])
    return m


bpy.ops.mesh.primitive_plane_add(size=10)
bpy.context.object.data.materials.append(material("floor", "checker"))
bpy.ops.mesh.primitive_uv_sphere_add(location=(-1.3, 0, 1))
bpy.context.object.data.materials.append(material("glass", "glass"))
bpy.ops.mesh.primitive_uv_sphere_add(location=(1.3, 0, 1))
bpy.context.object.data.materials.append(material("gloss", "glossy"))
bpy.ops.mesh.primitive_cube_add(location=(0, 1.8, 0.8), size=1.6)
bpy.context.object.data.materials.append(material("textured", "image"))
bpy.ops.object.light_add(type='AREA', location=(2, -2, 5))
bpy.context.object.data.energy = 600
bpy.ops.object.camera_add(location=(0, -7, 3), rotation=(math.radians(70), 0, 0))
camera = bpy.context.object
scene.camera = camera
scene.frame_start = 1
scene.frame_end = 3

if kind == "anim":
    camera.location.x = -1.5
    camera.keyframe_insert("location", frame=1)
    camera.location.x = 1.5
    camera.keyframe_insert("location", frame=3)
elif kind in ("composite", "denoise"):
    scene.cycles.use_denoising = kind == "denoise"
    scene.use_nodes = True
    tree = scene.node_tree
    layers = tree.nodes["Render Layers"]
    composite = tree.nodes["Composite"]
    glare = tree.nodes.new("CompositorNodeGlare")
    glare.glare_type = 'FOG_GLOW'
    glare.threshold = 0.5
    tree.links.new(layers.outputs["Image"], glare.inputs["Image"])
    tree.links.new(glare.outputs["Image"], composite.inputs["Image"])
elif kind == "eevee":
    scene.render.engine = 'BLENDER_EEVEE'
elif kind == "autoexec":
    # Python carried by the file: a text block registered to run when the file is loaded (only with
    # auto-execution on, `blender -y`), turning the sky red
    text = bpy.data.texts.new("tessera_autoexec.py")
    text.write("import bpy\nprint('TESSERA-AUTOEXEC-RAN')\nfor w in bpy.data.worlds:\n"
               "    w.node_tree.nodes['Background'].inputs[0].default_value = (1, 0, 0, 1)\n")
    text.use_module = True

bpy.ops.wm.save_as_mainfile(filepath=out)
image.filepath = "//tex.png"
bpy.ops.wm.save_mainfile()
