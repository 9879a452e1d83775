// SPDX-License-Identifier: EPL-2.0
package org.tessera.cloud.core;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Results to download automatically: every remote result path (e.g.
 * {@code /shot/render_results/take1/beauty/frame_0001.png}) that matches {@code pattern} is
 * downloaded by Envoy into {@code downloadFolder} on the submitting machine.
 *
 * @param pattern a Java/Python-compatible regular expression over remote paths
 * @param downloadFolder absolute local folder
 */
public record WatchFile(String pattern, Path downloadFolder) {
    public WatchFile {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(downloadFolder, "downloadFolder");
        Pattern.compile(pattern);
        downloadFolder = downloadFolder.toAbsolutePath().normalize();
    }
}
