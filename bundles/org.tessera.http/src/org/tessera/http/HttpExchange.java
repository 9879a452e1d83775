// SPDX-License-Identifier: EPL-2.0
package org.tessera.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its response, as seen by an {@link HttpRoute}. Reading the body is blocking and
 * counts bytes as they arrive, so a body longer than the endpoint's limit fails with
 * {@link RequestTooLargeException} even when the client sent no or a false {@code Content-Length}.
 * A route answers at most once.
 */
public final class HttpExchange {
    private final Request request;
    private final Response response;
    private final Callback callback;
    /** Completed by the response write; the endpoint may put a step in between ({@link #completeWith}). */
    private Callback completion;
    private final long maxBodyBytes;
    private boolean responded;

    HttpExchange(Request request, Response response, Callback callback, long maxBodyBytes) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.completion = callback;
        this.maxBodyBytes = maxBodyBytes;
    }

    Request request() {
        return request;
    }

    /** The handler's callback: completing it ends the exchange. */
    Callback callback() {
        return callback;
    }

    /** Makes the response write complete {@code c} instead of the handler's callback. */
    void completeWith(Callback c) {
        this.completion = c;
    }

    /** The request method, e.g. {@code POST}. */
    public String method() {
        return request.getMethod();
    }

    /** The decoded request path, e.g. {@code /RPC2}. */
    public String path() {
        return Request.getPathInContext(request);
    }

    /** The raw query string, or null. */
    public String query() {
        return request.getHttpURI().getQuery();
    }

    /** A request header value, or null when absent. */
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The client's IP address as text. */
    public String remoteAddress() {
        SocketAddress address = request.getConnectionMetaData().getRemoteSocketAddress();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    /** The endpoint's body limit in bytes. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * The request body as a stream that throws {@link RequestTooLargeException} once more than
     * {@link #maxBodyBytes()} bytes have been read.
     */
    public InputStream bodyStream() {
        return new LimitedInputStream(Content.Source.asInputStream(request), maxBodyBytes);
    }

    /**
     * Receives the body's bytes as they arrive, one buffer at a time.
     */
    @FunctionalInterface
    public interface BodyConsumer {
        /**
         * Consumes {@code bytes}, a read-only view of the connection's buffer that is valid only
         * during this call (it must not be kept).
         *
         * @return false to stop reading (the rest of the body is left unread)
         */
        boolean accept(ByteBuffer bytes) throws IOException;
    }

    /**
     * Reads the request body straight from the connection's buffers, without copying it into a
     * stream: each chunk Jetty received goes to {@code consumer} as it is (e.g. to be written to a
     * {@link java.nio.channels.FileChannel}). Blocks until the body ends, the consumer returns false,
     * or the connection fails. Use this or {@link #bodyStream()}, not both.
     *
     * @return the number of body bytes handed to the consumer
     * @throws RequestTooLargeException once more than {@link #maxBodyBytes()} bytes arrived
     * @throws IOException when the client stops sending before the end of the body (e.g. a
     *         cut-off upload: Jetty's "early EOF"), or the consumer fails
     */
    public long readBody(BodyConsumer consumer) throws IOException {
        long count = 0;
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                try (Blocker.Runnable blocker = Blocker.runnable()) {
                    request.demand(blocker);
                    blocker.block();
                }
                continue;
            }
            try {
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable failure = chunk.getFailure();
                    throw failure instanceof IOException io ? io : new IOException(failure);
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                int n = bytes.remaining();
                if (n > 0) {
                    count += n;
                    if (count > maxBodyBytes) {
                        throw new RequestTooLargeException(maxBodyBytes);
                    }
                    if (!consumer.accept(bytes.asReadOnlyBuffer())) {
                        return count;
                    }
                }
                if (chunk.isLast()) {
                    return count;
                }
            } finally {
                chunk.release();
            }
        }
    }

    /** The whole request body, at most {@link #maxBodyBytes()} bytes. */
    public byte[] body() throws IOException {
        // not closed: closing Jetty's content stream early fails the request, and the 413 for an
        // oversized body could then not be sent
        return bodyStream().readAllBytes();
    }

    /** Whether {@link #respond} was called. */
    public boolean responded() {
        return responded;
    }

    /** Sends the whole response: status, content type (may be null) and body. */
    public void respond(int status, String contentType, byte[] body) {
        if (responded) {
            throw new IllegalStateException("already responded");
        }
        responded = true;
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), completion);
    }

    /** Sends a plain-text response. */
    public void respondText(int status, String text) {
        respond(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sets a response header; call before {@link #respond}. */
    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /** Counts bytes as they are read; more than the limit is an error, not a silent truncation. */
    private static final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws RequestTooLargeException {
            count += n;
            if (count > limit) {
                throw new RequestTooLargeException(limit);
            }
        }

        @Override
        public void close() throws IOException {
            if (count <= limit) {
                in.close();
            }
        }
    }
}
