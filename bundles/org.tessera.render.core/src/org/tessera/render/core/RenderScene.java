// SPDX-License-Identifier: EPL-2.0
package org.tessera.render.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A scene archive: a folder holding the main scene file and everything it includes (meshes, include
 * files, textures). Engines resolve relative references against {@link #folder()}; a cluster node gets
 * the whole folder.
 *
 * @param folder   the scene folder
 * @param mainFile the main scene file, relative to {@code folder}
 * @param excluded folders inside {@code folder} that are not part of the scene and never sent to nodes
 *                 (a job's own output folder), absolute; usually empty
 */
public record RenderScene(Path folder, String mainFile, java.util.List<Path> excluded) {
    public RenderScene {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(mainFile, "mainFile");
        folder = folder.toAbsolutePath().normalize();
        excluded = excluded == null ? java.util.List.of()
                : excluded.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** The scene of {@code mainFile} in {@code folder}, nothing excluded. */
    public RenderScene(Path folder, String mainFile) {
        this(folder, mainFile, java.util.List.of());
    }

    /** This scene without {@code outputFolder} when that lies inside the scene folder (but is not the folder itself). */
    public RenderScene excluding(Path outputFolder) {
        Path out = outputFolder.toAbsolutePath().normalize();
        if (!out.startsWith(folder) || out.equals(folder) || excluded.contains(out)) {
            return this;
        }
        java.util.List<Path> more = new java.util.ArrayList<>(excluded);
        more.add(out);
        return new RenderScene(folder, mainFile, more);
    }

    /** The scene of a main file, its folder being the file's parent. */
    public static RenderScene ofFile(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return new RenderScene(abs.getParent(), abs.getFileName().toString());
    }

    /** Absolute path of the main file. */
    public Path file() {
        return folder.resolve(mainFile);
    }

    /** Lower-case extension of the main file without the dot ({@code "pov"}, {@code "json"}), or "". */
    public String extension() {
        int dot = mainFile.lastIndexOf('.');
        return dot < 0 ? "" : mainFile.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the main file exists and is readable. */
    public boolean exists() {
        return Files.isReadable(file());
    }
}
