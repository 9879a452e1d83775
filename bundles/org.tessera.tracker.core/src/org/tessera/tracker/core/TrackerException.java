// SPDX-License-Identifier: EPL-2.0
package org.tessera.tracker.core;

/**
 * A tracker operation was refused. Subclasses name the cause; over XML-RPC each maps to a fault
 * code ({@link #faultCode()}, see {@code docs/tracker.md}).
 */
public class TrackerException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Fault code of a refused argument (bad fraction, empty frame list...). */
    public static final int INVALID_ARGUMENT = 3;
    private final int faultCode;

    public TrackerException(int faultCode, String message) {
        super(message);
        this.faultCode = faultCode;
    }

    public TrackerException(int faultCode, String message, Throwable cause) {
        super(message, cause);
        this.faultCode = faultCode;
    }

    /** The XML-RPC fault code for this failure. */
    public int faultCode() {
        return faultCode;
    }

    /** An argument out of its domain; the message names it and the accepted values. */
    public static TrackerException invalidArgument(String message) {
        return new TrackerException(INVALID_ARGUMENT, message);
    }
}
