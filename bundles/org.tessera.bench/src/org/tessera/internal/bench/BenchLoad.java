// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's load: {@code clients} concurrent XML-RPC clients, each its own HTTP connection with
 * one call outstanding at a time (the next call is sent when the answer is in), as many render
 * scripts each with its own {@code ServerProxy}. All of them are driven by one thread with a
 * selector, so the load generator itself costs little CPU and few thread wake-ups on a machine
 * whose cores it shares with the server under test. Keep-alive when the server allows it; after an
 * HTTP/1.0 answer or {@code Connection: close} the client connects anew for its next call, as Python's
 * {@code ServerProxy} does with {@code SimpleXMLRPCServer}.
 */
final class BenchLoad {
    /** The body of call number {@code n} of client {@code client}. */
    @FunctionalInterface
    interface Calls {
        byte[] body(int client, long n);
    }

    private final InetSocketAddress address;
    private final String host;

    BenchLoad(String host, int port) {
        this.address = new InetSocketAddress(host, port);
        this.host = host + ":" + port;
    }

    /** Runs the clients for {@code seconds}; the number of answered calls (each checked: 200, no fault). */
    long run(int clients, int seconds, Calls calls) throws IOException {
        long answered = 0;
        try (Selector selector = Selector.open()) {
            Client[] all = new Client[clients];
            for (int c = 0; c < clients; c++) {
                all[c] = new Client(c, calls);
                all[c].connect(selector);
            }
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                if (selector.select(1000) == 0) {
                    continue;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Client c = (Client) key.attachment();
                    answered += c.ready(key, selector);
                }
                selector.selectedKeys().clear();
            }
            for (Client c : all) {
                c.close();
            }
        }
        return answered;
    }

    /** Whole requests (head and body) by body, built once: the load costs no allocation per call. */
    private final java.util.IdentityHashMap<byte[], ByteBuffer> requests = new java.util.IdentityHashMap<>();

    private ByteBuffer request(byte[] body) {
        ByteBuffer r = requests.get(body);
        if (r == null) {
            byte[] head = ("POST /RPC2 HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: text/xml\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            r = ByteBuffer.allocateDirect(head.length + body.length).put(head).put(body).flip();
            requests.put(body, r);
        }
        return r.duplicate();
    }

    private static final byte[] FAULT = "<fault>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_CLOSE = "connection: close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "connection: keep-alive".getBytes(StandardCharsets.US_ASCII);

    /** Whether {@code a[from, to)} contains {@code what}, ASCII letters compared without case. */
    private static boolean contains(byte[] a, int from, int to, byte[] what) {
        outer:
        for (int i = from; i + what.length <= to; i++) {
            for (int j = 0; j < what.length; j++) {
                int c = a[i + j];
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                if (c != what[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private final class Client {
        private final int id;
        private final Calls calls;
        private SocketChannel channel;
        private ByteBuffer out;
        private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
        private long n;

        Client(int id, Calls calls) {
            this.id = id;
            this.calls = calls;
        }

        void connect(Selector selector) throws IOException {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            in.clear();
            prepare();
            if (channel.connect(address)) {
                channel.register(selector, SelectionKey.OP_WRITE, this);
            } else {
                channel.register(selector, SelectionKey.OP_CONNECT, this);
            }
        }

        private void prepare() {
            out = request(calls.body(id, n));
        }

        /** Advances this client; 1 when an answer was completed. */
        int ready(SelectionKey key, Selector selector) throws IOException {
            if (key.isConnectable()) {
                channel.finishConnect();
                key.interestOps(SelectionKey.OP_WRITE);
                return 0;
            }
            if (key.isWritable()) {
                channel.write(out);
                if (!out.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
                return 0;
            }
            if (channel.read(in) < 0 && !answerComplete()) {
                throw new IOException("server closed the connection before answering call " + n + " of client " + id);
            }
            if (!answerComplete()) {
                if (!in.hasRemaining()) {
                    throw new IOException("answer larger than " + in.capacity() + " bytes");
                }
                return 0;
            }
            boolean close = check();
            n++;
            if (close) {
                key.cancel();
                channel.close();
                connect(selector);
            } else {
                in.clear();
                prepare();
                channel.write(out);
                key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }
            return 1;
        }

        private int headerEnd = -1;
        private int contentLength = -1;

        /** Whether the bytes read so far hold a whole answer (headers and Content-Length bytes of body). */
        private boolean answerComplete() {
            int len = in.position();
            byte[] a = in.array();
            if (headerEnd < 0) {
                for (int i = 3; i < len; i++) {
                    if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                        headerEnd = i + 1;
                        contentLength = contentLength(a, headerEnd);
                        break;
                    }
                }
                if (headerEnd < 0) {
                    return false;
                }
            }
            return len >= headerEnd + contentLength;
        }

        /** The Content-Length of an answer head {@code a[0, headEnd)}. */
        private int contentLength(byte[] a, int headEnd) {
            byte[] name = "\ncontent-length:".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i + name.length <= headEnd; i++) {
                if (contains(a, i, i + name.length, name)) {
                    int v = 0;
                    int j = i + name.length;
                    while (a[j] == ' ') {
                        j++;
                    }
                    while (a[j] >= '0' && a[j] <= '9') {
                        v = v * 10 + a[j++] - '0';
                    }
                    return v;
                }
            }
            throw new IllegalStateException("answer without Content-Length: " + new String(a, 0, headEnd, StandardCharsets.ISO_8859_1));
        }

        /** Checks the complete answer; whether the server closes the connection after it. Resets the parser. */
        private boolean check() throws IOException {
            byte[] a = in.array();
            boolean ok = headerEnd > 12 && a[0] == 'H' && a[5] == '1' && a[6] == '.' && a[9] == '2' && a[10] == '0' && a[11] == '0';
            if (!ok || contains(a, headerEnd, headerEnd + contentLength, FAULT)) {
                throw new IOException("update refused: " + new String(a, 0, headerEnd + Math.min(contentLength, 300),
                        StandardCharsets.UTF_8));
            }
            boolean close = a[7] == '0' && !contains(a, 0, headerEnd, KEEP_ALIVE) || contains(a, 0, headerEnd, CONNECTION_CLOSE);
            headerEnd = -1;
            contentLength = -1;
            return close;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // ending anyway
            }
        }
    }
}
