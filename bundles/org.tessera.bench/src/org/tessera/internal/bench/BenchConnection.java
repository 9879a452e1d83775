// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A deliberately minimal blocking HTTP/1.1 client for the benchmark: one socket, keep-alive when the
 * server allows it (reconnects after {@code Connection: close} or an HTTP/1.0 answer), no TLS, no
 * redirects. It keeps the client's own CPU cost small so the benchmark measures the servers.
 */
final class BenchConnection implements AutoCloseable {
    private final String host;
    private final int port;
    private SocketChannel socket;
    /** Bytes read and not yet used: {@code buffer[start, limit)}. */
    private byte[] buffer = new byte[16384];
    private int start;
    private int limit;
    /** The request head up to the Content-Length value. */
    private final byte[] head;

    BenchConnection(String host, int port) {
        this.host = host;
        this.port = port;
        this.head = ("POST /RPC2 HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: text/xml\r\nContent-Length: ")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** POSTs an XML-RPC body to /RPC2; returns the response body. Fails on non-200 answers. */
    byte[] call(byte[] body) throws IOException {
        boolean fresh = socket == null;
        try {
            return exchange(body);
        } catch (IOException e) {
            close();
            if (fresh) {
                throw e;
            }
            return exchange(body); // a kept-alive connection the server had closed
        }
    }

    private byte[] exchange(byte[] body) throws IOException {
        if (socket == null) {
            // a blocking channel: one read() per wait on a platform thread (a Socket's stream does a
            // non-blocking read, a poll() and a read again)
            socket = SocketChannel.open();
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            socket.connect(new InetSocketAddress(host, port));
            start = 0;
            limit = 0;
        }
        // the whole request in one write
        byte[] length = Integer.toString(body.length).getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[head.length + length.length + 4 + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(length, 0, request, head.length, length.length);
        int at = head.length + length.length;
        request[at++] = '\r';
        request[at++] = '\n';
        request[at++] = '\r';
        request[at++] = '\n';
        System.arraycopy(body, 0, request, at, body.length);
        ByteBuffer w = ByteBuffer.wrap(request);
        while (w.hasRemaining()) {
            socket.write(w);
        }

        int headerEnd;
        while ((headerEnd = headerEnd()) < 0) {
            if (!fill()) {
                throw new EOFException(limit == start ? "connection closed before an answer" : "answer ends in its header");
            }
        }
        String[] lines = new String(buffer, start, headerEnd - start, StandardCharsets.ISO_8859_1).split("\n");
        start = headerEnd + 4;
        String status = lines[0].trim();
        boolean close = status.startsWith("HTTP/1.0");
        int contentLength = -1;
        for (int i = 1; i < lines.length; i++) {
            String h = lines[i].trim().toLowerCase(Locale.ROOT);
            if (h.startsWith("content-length:")) {
                contentLength = Integer.parseInt(h.substring(15).trim());
            } else if (h.startsWith("connection:")) {
                close = h.contains("close") || (close && !h.contains("keep-alive"));
            }
        }
        byte[] answer;
        if (contentLength >= 0) {
            while (limit - start < contentLength) {
                if (!fill()) {
                    throw new EOFException("answer shorter than its Content-Length");
                }
            }
            answer = Arrays.copyOfRange(buffer, start, start + contentLength);
            start += contentLength;
        } else {
            while (fill()) {
                // until the server closes
            }
            answer = Arrays.copyOfRange(buffer, start, limit);
            start = limit;
            close = true;
        }
        if (close) {
            close();
        }
        if (!status.contains(" 200 ")) {
            throw new IOException("HTTP answer " + status);
        }
        return answer;
    }

    /** Index of the blank line ending the header in the unread bytes, or -1. */
    private int headerEnd() {
        for (int i = start; i + 3 < limit; i++) {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Reads more bytes after the unread ones (moving or growing the buffer); false at end of stream. */
    private boolean fill() throws IOException {
        if (start > 0 && limit == buffer.length) {
            System.arraycopy(buffer, start, buffer, 0, limit - start);
            limit -= start;
            start = 0;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = socket.read(ByteBuffer.wrap(buffer, limit, buffer.length - limit));
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }
}
