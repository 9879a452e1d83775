// SPDX-License-Identifier: EPL-2.0
package org.tessera.core;

import org.osgi.annotation.versioning.ProviderType;

/**
 * OSGi service for the frames grammar {@value FrameRange#GRAMMAR}: the single place where
 * user-typed frame expressions (CLI, views, Envoy jobs) are turned into {@link FrameRange}s and back.
 */
@ProviderType
public interface FrameRangeFormat {

    /** Parses an expression; throws {@link FrameRangeException} with column and grammar on error. */
    FrameRange parse(String expression);

    /** Canonical text of a range, accepted by {@link #parse(String)}. */
    String format(FrameRange range);

    /** The grammar, for help texts. */
    default String grammar() {
        return FrameRange.GRAMMAR;
    }
}
