// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.core;

import org.osgi.service.component.annotations.Component;
import org.tessera.core.FrameRange;
import org.tessera.core.FrameRangeFormat;

/** DS face of the frames grammar; the grammar itself lives in {@link FrameRange}. */
@Component(service = FrameRangeFormat.class)
public class FrameRangeFormatComponent implements FrameRangeFormat {

    @Override
    public FrameRange parse(String expression) {
        return FrameRange.parse(expression);
    }

    @Override
    public String format(FrameRange range) {
        return range.toString();
    }
}
