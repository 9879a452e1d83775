// SPDX-License-Identifier: EPL-2.0
package org.tessera.examples.checker;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

import org.osgi.service.component.annotations.Component;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;

/** {@code tessera checker}: writes a checkerboard debug image; shows that a plugin can add a command. */
@Component(service = Verb.class)
public class CheckerVerb implements Verb {

    @Override
    public String name() {
        return "checker";
    }

    @Override
    public String summary() {
        return "write a checkerboard debug image (example plugin)";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera checker [--size WxH] [--cell N] --out <file.png>

                Writes a checkerboard debug image. Installed by the example plugin
                org.tessera.examples.feature (see docs/extending.md).

                Options:
                  --size WxH   image size in pixels (default 256x256)
                  --cell N     square size in pixels (default 32)
                  --out FILE   PNG file to write""";
    }

    @Override
    public int run(List<String> args, VerbContext context) throws Exception {
        VerbArguments a = VerbArguments.parse(args, Set.of("size", "cell", "out"), Set.of());
        String[] size = a.value("size", "256x256").toLowerCase().split("x");
        if (size.length != 2) {
            throw new UsageException("--size must look like 640x480");
        }
        int width;
        int height;
        try {
            width = Integer.parseInt(size[0]);
            height = Integer.parseInt(size[1]);
        } catch (NumberFormatException e) {
            throw new UsageException("--size must look like 640x480");
        }
        if (width < 1 || height < 1 || width > 16384 || height > 16384) {
            throw new UsageException("--size must be between 1x1 and 16384x16384");
        }
        int cell = a.intValue("cell", 32, 1, 4096);
        Path out = context.resolve(a.value("out").orElseThrow(() -> new UsageException("missing --out <file.png>")));
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, Checkerboard.rgb(x, y, cell));
            }
        }
        Path tmp = out.resolveSibling(out.getFileName() + ".part");
        ImageIO.write(image, "png", tmp.toFile());
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        context.out().println("Wrote " + width + "x" + height + " checkerboard to " + out);
        return ExitCodes.OK;
    }
}
