// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

/** An XML-RPC fault: a code and a message, sent as {@code <fault>} or received as one. */
public class XmlRpcFault extends Exception {
    private static final long serialVersionUID = 1L;
    /** Not well-formed XML, a DOCTYPE or entity, too deep nesting. */
    public static final int PARSE_ERROR = -32700;
    /** Well-formed XML that is not an XML-RPC method call. */
    public static final int INVALID_REQUEST = -32600;
    /** No such method. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** Wrong number or types of parameters. */
    public static final int INVALID_PARAMS = -32602;
    /** The request body is larger than the server's limit ("transport error" in the fault-code interoperability spec). */
    public static final int REQUEST_TOO_LARGE = -32300;
    /** The server failed; the message says what happened. */
    public static final int INTERNAL_ERROR = -32603;

    private final int code;

    public XmlRpcFault(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
