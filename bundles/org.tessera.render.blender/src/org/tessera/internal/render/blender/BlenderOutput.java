// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.render.blender;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tessera.internal.render.core.ProcessConsole;

/**
 * Follows one Blender process's console output on a thread of its own: keeps its text (the last
 * {@value ProcessConsole#MAX_CHARS} characters, for error messages), the lines Tessera's script prints, and the render
 * time Blender itself reports on its progress lines
 * ({@code Fra:1 Mem:… | Time:00:01.84 | … | Sample 112/128}): the time from {@code Sample 0/N} to the last
 * sample is the path tracing of the tile, without Blender's start, the file load and the BVH build.
 */
final class BlenderOutput extends ProcessConsole {
    private static final Pattern SAMPLE = Pattern.compile("\\| Time:([0-9:.]+) \\|.*\\| Sample (\\d+)/(\\d+)");

    private String sceneLine;
    private String regionLine;
    private String errorLine;
    private double firstSample = -1;
    private double lastSample = -1;
    private int samplesDone;
    private int samplesTotal;

    private BlenderOutput(InputStream in) {
        super(StandardCharsets.UTF_8);
        follow(in, "tessera-blender-output");
    }

    /** Starts reading the merged stdout and stderr of {@code process} until it ends. */
    static BlenderOutput follow(Process process) {
        return new BlenderOutput(process.getInputStream());
    }

    @Override
    protected synchronized void line(String s, long stamp) {
        if (s.startsWith(BlenderScript.SCENE)) {
            sceneLine = s.substring(BlenderScript.SCENE.length());
        } else if (s.startsWith(BlenderScript.REGION)) {
            regionLine = s.substring(BlenderScript.REGION.length());
        } else if (s.startsWith(BlenderScript.ERROR)) {
            errorLine = s.substring(BlenderScript.ERROR.length());
        } else {
            Matcher m = SAMPLE.matcher(s);
            if (m.find()) {
                double t = seconds(m.group(1));
                int done = Integer.parseInt(m.group(2));
                if (t >= 0) {
                    if (firstSample < 0) {
                        firstSample = t;
                    }
                    lastSample = Math.max(lastSample, t);
                    samplesDone = Math.max(samplesDone, done);
                    samplesTotal = Integer.parseInt(m.group(3));
                }
            }
        }
    }

    /** {@code [[HH:]MM:]SS.ss} in seconds, or -1. */
    static double seconds(String clock) {
        double total = 0;
        try {
            for (String part : clock.split(":")) {
                total = total * 60 + Double.parseDouble(part);
            }
        } catch (NumberFormatException e) {
            return -1;
        }
        return total;
    }

    /** The facts line of Tessera's script ({@code engine=… whole=… adaptive=… size=… frames=…}), or null. */
    synchronized String scene() {
        return sceneLine;
    }

    /** The region the script chose ({@code x0 y0 x1 y1}), or null. */
    synchronized String region() {
        return regionLine;
    }

    /** What the script found wrong with the scene, or null. */
    synchronized String error() {
        return errorLine;
    }

    /** Seconds of path tracing Blender reported, or -1 when it reported no complete sampling. */
    synchronized double traceSeconds() {
        if (firstSample < 0 || samplesTotal <= 0 || samplesDone < samplesTotal) {
            return -1;
        }
        return lastSample - firstSample;
    }

    /** Blender's own error lines ({@code Error: …}, Python tracebacks' last line), or its last lines. */
    static String quote(String messages, int max) {
        List<String> lines = messages.lines().filter(l -> !l.isBlank() && !l.startsWith(BlenderScript.SCENE)
                && !l.startsWith("Fra:")).toList();
        List<String> errors = lines.stream().filter(l -> l.contains("Error") || l.contains("error")
                || l.startsWith("Warning") || l.contains("Cannot") || l.contains("cannot")).toList();
        List<String> pick = errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - max), lines.size())
                : errors.subList(0, Math.min(max, errors.size()));
        return "  " + String.join("\n  ", pick);
    }
}
