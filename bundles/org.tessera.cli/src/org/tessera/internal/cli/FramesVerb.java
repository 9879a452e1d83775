// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.cli;

import java.util.List;
import java.util.PrimitiveIterator;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tessera.core.FrameRange;
import org.tessera.core.FrameRangeException;
import org.tessera.core.FrameRangeFormat;
import org.tessera.core.cli.ExitCodes;
import org.tessera.core.cli.UsageException;
import org.tessera.core.cli.Verb;
import org.tessera.core.cli.VerbArguments;
import org.tessera.core.cli.VerbContext;

/** {@code tessera frames <expression>}: expands a frames expression, one frame per line. */
@Component(service = Verb.class)
public class FramesVerb implements Verb {

    @Reference
    private FrameRangeFormat format;

    @Override
    public String name() {
        return "frames";
    }

    @Override
    public String summary() {
        return "expand a frames expression such as \"1 10 2,20\"";
    }

    @Override
    public String usage() {
        return """
                Usage: tessera frames [--count | --canonical] <expression>

                Expands a frames expression, one frame per line, in the order written; a frame that an
                earlier segment already gave is not repeated.

                Grammar: %s
                  start          one frame
                  start end      every frame from start to end
                  start end step every step-th frame from start up to end (step > 0)
                Frames may be negative. The expression may be one quoted word or several words.

                Options:
                  --count        print only the number of distinct frames
                  --canonical    print the expression in its shortest form

                Examples:
                  tessera frames "1 10 2,20"      1 3 5 7 9 20
                  tessera frames -- -5 5 5         -5 0 5""".formatted(FrameRange.GRAMMAR);
    }

    @Override
    public int run(List<String> args, VerbContext context) {
        VerbArguments parsed = VerbArguments.parse(args, Set.of(), Set.of("count", "canonical"));
        if (parsed.positionals().isEmpty()) {
            throw new UsageException("missing frames expression, e.g. \"1 10 2,20\" (grammar: "
                    + FrameRange.GRAMMAR + ")");
        }
        FrameRange range;
        try {
            range = format.parse(String.join(" ", parsed.positionals()));
        } catch (FrameRangeException e) {
            throw new UsageException(e.getMessage(), e);
        }
        if (parsed.flag("count")) {
            context.out().println(range.count());
        } else if (parsed.flag("canonical")) {
            context.out().println(format.format(range));
        } else {
            StringBuilder chunk = new StringBuilder();
            PrimitiveIterator.OfInt it = range.intIterator();
            while (it.hasNext()) {
                chunk.append(it.nextInt()).append('\n');
                if (chunk.length() > 8192) {
                    if (context.isCancelled()) {
                        return ExitCodes.CANCELLED;
                    }
                    context.out().print(chunk);
                    chunk.setLength(0);
                }
            }
            context.out().print(chunk);
        }
        return ExitCodes.OK;
    }
}
