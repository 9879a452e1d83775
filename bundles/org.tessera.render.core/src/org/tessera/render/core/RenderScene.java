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
 */
public record RenderScene(Path folder, String mainFile) {
    public RenderScene {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(mainFile, "mainFile");
        folder = folder.toAbsolutePath().normalize();
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
