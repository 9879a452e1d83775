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
    /** Longest line read, characters: {@value}. */
    static final int MAX_LINE = 4096;

    /** Largest mesh file read, bytes: {@value} (the size a node accepts for a whole scene). */
    static final long MAX_BYTES = org.tessera.render.core.SceneArchive.MAX_BYTES;

    private ObjReader() {
    }

    /**
     * The mesh file a scene names, resolved inside the scene folder only: a path that leaves the folder
     * (also through a symbolic link) is refused before anything is opened, so a scene can neither read nor
     * test for files elsewhere; the message names the scene's own string, never anything of the file.
     *
     * @throws SceneException when {@code name} leaves {@code folder}, or is not a regular file in it
     */
    static Path inside(Path folder, String name, String where) throws SceneException {
        Path root;
        try {
            root = folder.toRealPath();
        } catch (IOException e) {
            throw new SceneException("the scene folder " + folder + " cannot be read: " + e.getMessage(), e);
        }
        Path file;
        try {
            file = root.resolve(name).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new SceneException(where + ".obj '" + name + "' is not a file name");
        }
        if (!file.startsWith(root) || file.equals(root)) {
            throw new SceneException(where + ".obj '" + name + "' leaves the scene folder: meshes must lie inside it");
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw new SceneException(where + ".obj '" + name + "': no such file in the scene folder");
        }
        if (!real.startsWith(root)) {
            throw new SceneException(where + ".obj '" + name + "' leaves the scene folder: meshes must lie inside it");
        }
        if (!Files.isRegularFile(real)) {
            throw new SceneException(where + ".obj '" + name + "' is not a regular file");
        }
        return real;
    }

    /**
     * Triangles as 9 doubles each (v0, v1, v2). Lines longer than {@link #MAX_LINE}, files larger than
     * {@link #MAX_BYTES} and meshes whose triangles would need more than a quarter of the heap are refused
     * with a message; messages name the line, never its text.
     */
    static List<double[]> read(Path file) throws SceneException {
        List<double[]> vertices = new ArrayList<>();
        List<double[]> triangles = new ArrayList<>();
        int lineNo = 0;
        long maxTriangles = Runtime.getRuntime().maxMemory() / 4 / 120; // 9 doubles + array header + list slot
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new SceneException("mesh " + file.getFileName() + " is larger than " + MAX_BYTES / (1024 * 1024) + " MB");
            }
        } catch (IOException e) {
            throw new SceneException("cannot read mesh " + file.getFileName() + ": " + e.getMessage(), e);
        }
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            while ((line = boundedLine(in, file, lineNo + 1)) != null) {
                lineNo++;
                line = line.strip();
                if (triangles.size() > maxTriangles || vertices.size() > 3 * maxTriangles) {
                    throw new SceneException("mesh " + file.getFileName() + " has more than " + maxTriangles
                            + " triangles, more than this process's memory holds (give it more with -Xmx)");
                }
                if (line.startsWith("v ")) {
                    String[] p = line.split("\\s+");
                    if (p.length < 4) {
                        throw new SceneException(file.getFileName() + ":" + lineNo + ": a vertex needs x y z");
                    }
                    vertices.add(new double[] { Double.parseDouble(p[1]), Double.parseDouble(p[2]),
                            Double.parseDouble(p[3]) });
                } else if (line.startsWith("f ")) {
                    String[] p = line.split("\\s+");
                    if (p.length < 4) {
                        throw new SceneException(file.getFileName() + ":" + lineNo + ": a face needs at least 3 vertices");
                    }
                    int[] idx = new int[p.length - 1];
                    for (int k = 1; k < p.length; k++) {
                        String ref = p[k];
                        int slash = ref.indexOf('/');
                        int n = Integer.parseInt(slash < 0 ? ref : ref.substring(0, slash));
                        int i = n < 0 ? vertices.size() + n : n - 1;
                        if (i < 0 || i >= vertices.size()) {
                            throw new SceneException(file.getFileName() + ":" + lineNo + ": vertex " + n + " does not exist");
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
            // never echo the text: the file may not be a mesh at all
            throw new SceneException(file.getFileName() + ":" + lineNo + ": a number is malformed (not an OBJ mesh?)");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new SceneException(file.getFileName() + ":" + (lineNo + 1) + ": not text (not an OBJ mesh?)");
        } catch (IOException e) {
            throw new SceneException("cannot read mesh " + file.getFileName() + ": " + e.getMessage(), e);
        }
        if (triangles.isEmpty()) {
            throw new SceneException("mesh " + file.getFileName() + " has no faces");
        }
        return triangles;
    }

    /** The next line, or null at the end; a line longer than {@link #MAX_LINE} is refused without reading it all. */
    private static String boundedLine(BufferedReader in, Path file, int lineNo) throws IOException, SceneException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0;) {
            if (c == '\n') {
                return b.toString();
            }
            if (b.length() >= MAX_LINE) {
                throw new SceneException(file.getFileName() + ":" + lineNo + ": a line longer than " + MAX_LINE
                        + " characters (not an OBJ mesh?)");
            }
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }
}
