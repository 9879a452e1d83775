// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A deliberately minimal blocking HTTP/1.1 client for the benchmark: one socket, keep-alive when the
 * server allows it (reconnects after {@code Connection: close} or an HTTP/1.0 answer), no TLS, no
 * redirects. It keeps the client's own CPU cost small so the benchmark measures the servers.
 */
final class BenchConnection implements AutoCloseable {
    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    BenchConnection(String host, int port) {
        this.host = host;
        this.port = port;
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
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 65536);
            out = new BufferedOutputStream(socket.getOutputStream(), 65536);
        }
        out.write(("POST /RPC2 HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: text/xml\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        String status = line();
        if (status == null) {
            throw new EOFException("connection closed before an answer");
        }
        boolean close = status.startsWith("HTTP/1.0");
        int length = -1;
        String header;
        while ((header = line()) != null && !header.isEmpty()) {
            String h = header.toLowerCase(Locale.ROOT);
            if (h.startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(15).trim());
            } else if (h.startsWith("connection:")) {
                close = h.contains("close") || (close && !h.contains("keep-alive"));
            }
        }
        byte[] answer;
        if (length >= 0) {
            answer = in.readNBytes(length);
            if (answer.length < length) {
                throw new EOFException("answer shorter than its Content-Length");
            }
        } else {
            answer = in.readAllBytes();
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

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = b.size();
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
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
        in = null;
        out = null;
    }
}
