// SPDX-License-Identifier: EPL-2.0
package org.tessera.core.cli;

/** Exit codes of the {@code tessera} command, the same for every verb. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The work failed; stderr says why. */
    public static final int FAILURE = 1;
    /** The command line was wrong; stderr says what and how to get help. */
    public static final int USAGE = 2;
    /** A needed service, host or tool is not available (e.g. no tracker answers). */
    public static final int UNAVAILABLE = 3;
    /** The work was cancelled (Ctrl-C). */
    public static final int CANCELLED = 130;

    private ExitCodes() {
    }
}
