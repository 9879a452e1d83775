// SPDX-License-Identifier: EPL-2.0
package org.tessera.internal.tracker.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tracker's own HTTP/1.1 connector for XML-RPC: {@code POST} to one path, answered with
 * {@code 200 text/xml}. Written by hand (not Jetty) because the tracker's load is a stream of tiny
 * calls, one outstanding per client, and per call Jetty spent two extra {@code read}s (answered
 * {@code EAGAIN}) and a journal {@code write} of its own, where this connector does one {@code read},
 * one {@code write} of the answer and, per round of ready connections, one journal {@code write}
 * (see {@link Handler#roundDone}). docs/tracker.md has the numbers.
 * <p>
 * What it keeps from a general server: keep-alive and pipelined requests, HTTP/1.0, {@code
 * Content-Length} and {@code chunked} bodies, {@code Expect: 100-continue}, a body limit counted as
 * bytes arrive (the answer goes out at once and the rest of the body is read and dropped, up to a cap,
 * so that the client gets to read it), a header limit ({@code 431}), an idle timeout (slow or silent
 * clients are closed), an access token (Bearer or Basic password, compared in constant time; {@code
 * 401}), {@code 404} for other paths and {@code 405} for other methods, and a bounded pool for calls
 * that may take long ({@link Handler#inline} false), while the I/O threads keep serving other
 * connections. Bad input closes at most its own connection.
 */
public final class RpcConnector implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RpcConnector.class.getName());

    /** Largest request line plus headers. */
    public static final int MAX_HEAD = 16 * 1024;
    private static final int INITIAL_BUFFER = 8 * 1024;
    private static final long LINGER_NANOS = 2_000_000_000L;
    private static final String XML = "text/xml; charset=utf-8";
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** What the connector calls; all but {@link #handle} from I/O threads. */
    public interface Handler {
        /** Whether the call may be answered on the I/O thread (small, bounded cost, no waiting). */
        boolean inline(byte[] body);

        /**
         * The XML answer to a call (faults included). {@code inline}: on an I/O thread, where the
         * answer is held until {@link #roundDone()}.
         */
        byte[] handle(byte[] body, boolean inline);

        /** The XML answer to a call whose body is over the limit. */
        byte[] tooLarge(long limitBytes);

        /**
         * Called on an I/O thread after a round of inline calls and before their answers are sent:
         * makes their changes durable. Returns false when that failed; the round's answers are then
         * replaced by {@link #storeFailed()}.
         */
        boolean roundDone();

        /** The answer sent instead when {@link #roundDone()} failed. */
        byte[] storeFailed();
    }

    private final ServerSocketChannel server;
    private final String host;
    private final String path;
    private final byte[] token;
    private final long maxBody;
    private final long idleNanos;
    private final Handler handler;
    private final ThreadPoolExecutor pool;
    private final Loop[] loops;
    private final Thread acceptor;
    private final AtomicInteger next = new AtomicInteger();
    /** Connections open now; beyond {@link #MAX_CONNECTIONS} new ones are closed at once (slow clients cannot pile up). */
    private final AtomicInteger open = new AtomicInteger();

    /** Most connections the tracker holds open at once: {@value}. A farm's masters and clients keep a few each. */
    public static final int MAX_CONNECTIONS = 512;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set once the pool has finished: the I/O threads close their connections and end. */
    private volatile boolean stopLoops;

    private RpcConnector(ServerSocketChannel server, String host, String path, String token, long maxBody, long idleMillis,
            int threads, int selectors, Handler handler) throws IOException {
        this.server = server;
        this.host = host;
        this.path = path;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.maxBody = maxBody;
        this.idleNanos = idleMillis * 1_000_000L;
        this.handler = handler;
        AtomicInteger poolThreads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tracker-pool-" + poolThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.loops = new Loop[selectors];
        for (int i = 0; i < selectors; i++) {
            loops[i] = new Loop(i);
        }
        this.acceptor = new Thread(this::accept, "tracker-accept");
    }

    /**
     * Binds and starts.
     *
     * @param host bind address; anything but loopback requires {@code token}
     * @param port TCP port, 0 for a free one
     * @param token access token, or null (loopback only)
     * @param maxBody largest request body in bytes
     * @param idleMillis idle connections (and requests that stall) are closed after this long
     * @param threads pool threads for calls that are not inline
     * @param selectors I/O threads
     */
    public static RpcConnector start(String host, int port, String path, String token, long maxBody, long idleMillis, int threads,
            int selectors, Handler handler) throws IOException {
        if (token == null && !org.tessera.http.HttpEndpoint.isLoopback(host)) {
            throw new IllegalStateException("binding the tracker to " + host + " (not a loopback address) requires an access token");
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(host, port), 128);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        RpcConnector c = new RpcConnector(server, host, path, token, maxBody, idleMillis, Math.max(1, threads),
                Math.max(1, selectors), Objects.requireNonNull(handler));
        for (Loop l : c.loops) {
            l.thread.start();
        }
        c.acceptor.start();
        return c;
    }

    public int port() {
        return server.socket().getLocalPort();
    }

    public String host() {
        return host;
    }

    /**
     * Stops accepting, lets calls running on the pool finish (up to 5 s), then closes every
     * connection.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopLoops = true;
        for (Loop l : loops) {
            l.selector.wakeup();
        }
        for (Loop l : loops) {
            try {
                l.thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }

    private void accept() {
        while (!closed.get()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed.get()) {
                    return;
                }
                LOG.log(Level.WARNING, "tracker accept failed: " + e);
                sleepQuietly(50);
                continue;
            }
            if (open.incrementAndGet() > MAX_CONNECTIONS) {
                open.decrementAndGet();
                refuseBusy(ch);
                continue;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                loops[Math.floorMod(next.getAndIncrement(), loops.length)].adopt(ch);
            } catch (IOException e) {
                open.decrementAndGet();
                closeQuietly(ch);
            }
        }
    }

    /** Answers 503 without reading the request (a non-blocking write of a few bytes) and closes. */
    private static void refuseBusy(SocketChannel ch) {
        try {
            ch.configureBlocking(false);
            ch.write(java.nio.ByteBuffer.wrap(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                    + "Retry-After: 1\r\nConnection: close\r\nContent-Length: 47\r\n\r\n"
                    + "too many connections to the tracker; try again\n").getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            // the client is gone anyway
        }
        closeQuietly(ch);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // gone anyway
        }
    }

    /** One I/O thread with its selector and connections. */
    private final class Loop {
        final Selector selector;
        final Thread thread;
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final Set<Conn> conns = new HashSet<>();
        /** Connections with an inline answer waiting for {@link Handler#roundDone()}. */
        final List<Conn> round = new ArrayList<>();
        private String date;
        private long dateSecond = -1;

        Loop(int id) throws IOException {
            this.selector = Selector.open();
            this.thread = new Thread(this::run, "tracker-io-" + id);
        }

        void adopt(SocketChannel ch) {
            tasks.add(() -> {
                try {
                    Conn c = new Conn(this, ch);
                    c.key = ch.register(selector, SelectionKey.OP_READ, c);
                    conns.add(c);
                } catch (IOException e) {
                    open.decrementAndGet();
                    closeQuietly(ch);
                }
            });
            selector.wakeup();
        }

        void execute(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        void run() {
            long lastSweep = System.nanoTime();
            try {
                while (!stopLoops) {
                    try {
                        selector.select(1000);
                        runTasks();
                        Set<SelectionKey> ready = selector.selectedKeys();
                        for (SelectionKey key : ready) {
                            Conn c = (Conn) key.attachment();
                            c.ready(key);
                        }
                        ready.clear();
                        finishRound();
                    } catch (IOException | RuntimeException e) {
                        if (!selector.isOpen()) {
                            throw e;
                        }
                        // keep serving: one bad moment must not strand this thread's connections
                        LOG.log(Level.ERROR, "tracker I/O thread: unexpected failure, continuing", e);
                        selector.selectedKeys().clear();
                        sleepQuietly(10);
                    }
                    long now = System.nanoTime();
                    if (now - lastSweep > 1_000_000_000L) {
                        lastSweep = now;
                        sweep(now);
                    }
                }
                // answers of calls that finished on the pool while stopping
                runTasks();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "tracker I/O thread failed", e);
            } finally {
                for (Conn c : new ArrayList<>(conns)) {
                    c.close();
                }
                closeQuietly(selector);
            }
        }

        private void runTasks() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }

        /** Makes the round's changes durable, then sends its answers. */
        private void finishRound() {
            // sending an answer may complete a pipelined call that joins the next round: repeat
            while (!round.isEmpty()) {
                boolean stored;
                try {
                    stored = handler.roundDone();
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "tracker could not store a round of calls", e);
                    stored = false;
                }
                byte[] failed = stored ? null : handler.storeFailed();
                List<Conn> batch = new ArrayList<>(round);
                round.clear();
                for (Conn c : batch) {
                    c.sendHeld(failed);
                }
            }
        }

        private void sweep(long now) {
            for (Conn c : new ArrayList<>(conns)) {
                if (c.lingering ? now - c.lastActive > LINGER_NANOS : !c.dispatched && !c.held && now - c.lastActive > idleNanos) {
                    c.close();
                }
            }
        }

        /** Heads of {@code 200} XML keep-alive answers by length, for the current second's date. */
        private final java.util.HashMap<Integer, byte[]> okHeads = new java.util.HashMap<>();
        private String okHeadsDate;

        byte[] okHead(int length) {
            String d = date();
            if (!d.equals(okHeadsDate)) {
                okHeads.clear();
                okHeadsDate = d;
            }
            return okHeads.computeIfAbsent(length, n -> ("HTTP/1.1 200 OK\r\nDate: " + d + "\r\nContent-Type: " + XML
                    + "\r\nContent-Length: " + n + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }

        String date() {
            long second = System.currentTimeMillis() / 1000;
            if (second != dateSecond) {
                dateSecond = second;
                date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
            }
            return date;
        }
    }

    /** What the connection is reading. */
    private enum Phase {
        HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER
    }

    /** One client connection; touched only by its loop's thread. */
    private final class Conn {
        final Loop loop;
        final SocketChannel ch;
        SelectionKey key;
        long lastActive = System.nanoTime();

        byte[] buf = new byte[INITIAL_BUFFER];
        /** Bytes in {@code buf}: [pos, end) not yet parsed. */
        int pos;
        int end;

        Phase phase = Phase.HEAD;
        /** Body collected so far (chunked, or Content-Length once it is complete). */
        byte[] body;
        int bodySize;
        /** Content-Length, or the current chunk's remaining bytes. */
        long remaining;
        /** Over the limit: bytes are counted and dropped; the connection closes once the answer is out. */
        boolean dropping;
        long dropped;
        boolean chunked;
        boolean keepAlive;
        boolean http10;
        /** The call runs on the pool: reading paused. */
        boolean dispatched;
        /** Answer (head, body) waiting for the round to be stored, or for the socket to take it. */
        ByteBuffer[] out;
        boolean held;
        boolean closeAfterWrite;
        boolean closed;
        /** Answer sent and output shut down: dropping input until the client closes. */
        boolean lingering;
        long lingered;

        Conn(Loop loop, SocketChannel ch) {
            this.loop = loop;
            this.ch = ch;
        }

        void ready(SelectionKey k) {
            try {
                if (!k.isValid()) {
                    close();
                    return;
                }
                if (k.isWritable() && flush()) {
                    // pipelined calls that came while the answer was going out
                    parse();
                }
                if (!closed && k.isValid() && k.isReadable() && (k.interestOps() & SelectionKey.OP_READ) != 0) {
                    read();
                }
            } catch (IOException | RuntimeException e) {
                close();
            }
        }

        private void read() throws IOException {
            if (lingering) {
                int n = ch.read(ByteBuffer.wrap(buf));
                if (n < 0 || (lingered += n) > 1024 * 1024) {
                    close();
                }
                return;
            }
            if (end == buf.length) {
                if (pos > 0) {
                    compact();
                } else {
                    grow(buf.length * 2);
                }
            }
            int n = ch.read(ByteBuffer.wrap(buf, end, buf.length - end));
            if (n < 0) {
                close();
                return;
            }
            lastActive = System.nanoTime();
            end += n;
            parse();
        }

        private void compact() {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
        }

        private void grow(int size) {
            buf = Arrays.copyOf(buf, size);
        }

        /** Parses what is buffered as far as it goes; answers complete requests. */
        private void parse() throws IOException {
            while (!closed && !lingering && !dispatched && !held && (out == null || dropping) && pos < end) {
                switch (phase) {
                    case HEAD -> {
                        if (!head()) {
                            return;
                        }
                    }
                    case BODY -> {
                        int take = (int) Math.min(remaining, end - pos);
                        if (dropping) {
                            dropped += take;
                            pos += take;
                            remaining -= take;
                            if (remaining == 0 || dropped > dropCap()) {
                                finishDropping();
                                return;
                            }
                        } else {
                            if (remaining > take) {
                                // wait for the whole body in the buffer: make room for it
                                ensureRoom(remaining);
                                return;
                            }
                            body = Arrays.copyOfRange(buf, pos, pos + take);
                            bodySize = take;
                            pos += take;
                            remaining = 0;
                            complete();
                        }
                    }
                    case CHUNK_SIZE -> {
                        int eol = lineEnd();
                        if (eol < 0) {
                            if (end - pos > 1024) {
                                badRequest("chunk size line too long");
                            }
                            return;
                        }
                        String line = new String(buf, pos, eol - pos, StandardCharsets.ISO_8859_1);
                        int semi = line.indexOf(';');
                        String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
                        long size;
                        try {
                            size = hex.isEmpty() || hex.length() > 15 ? -1 : Long.parseLong(hex, 16);
                        } catch (NumberFormatException e) {
                            size = -1;
                        }
                        if (size < 0) {
                            badRequest("bad chunk size");
                            return;
                        }
                        pos = eol + 2;
                        remaining = size;
                        phase = size == 0 ? Phase.TRAILER : Phase.CHUNK_DATA;
                    }
                    case CHUNK_DATA -> {
                        int take = (int) Math.min(remaining, end - pos);
                        if (dropping) {
                            dropped += take;
                        } else if ((long) bodySize + take > maxBody) {
                            startDropping();
                            dropped = bodySize + (long) take;
                        } else {
                            if (bodySize + take > body.length) {
                                body = Arrays.copyOf(body, (int) Math.min(maxBody, Math.max(bodySize + take, 2L * body.length)));
                            }
                            System.arraycopy(buf, pos, body, bodySize, take);
                            bodySize += take;
                        }
                        pos += take;
                        remaining -= take;
                        if (remaining == 0) {
                            phase = Phase.CHUNK_DATA_END;
                        }
                        if (dropping && dropped > dropCap()) {
                            finishDropping();
                            return;
                        }
                    }
                    case CHUNK_DATA_END -> {
                        if (end - pos < 2) {
                            return;
                        }
                        if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
                            badRequest("chunk not followed by CRLF");
                            return;
                        }
                        pos += 2;
                        phase = Phase.CHUNK_SIZE;
                    }
                    case TRAILER -> {
                        int eol = lineEnd();
                        if (eol < 0) {
                            if (end - pos > MAX_HEAD) {
                                badRequest("trailer too long");
                            }
                            return;
                        }
                        boolean last = eol == pos;
                        pos = eol + 2;
                        if (last) {
                            if (dropping) {
                                finishDropping();
                                return;
                            }
                            body = bodySize == body.length ? body : Arrays.copyOf(body, bodySize);
                            complete();
                        }
                    }
                }
            }
            if (pos == end) {
                pos = 0;
                end = 0;
                if (buf.length > 64 * 1024 && phase == Phase.HEAD) {
                    buf = new byte[INITIAL_BUFFER];
                }
            }
        }

        private long dropCap() {
            return Math.max(64L * 1024 * 1024, 4 * maxBody);
        }

        private void ensureRoom(long more) {
            long need = (end - pos) + more;
            if (pos > 0) {
                compact();
            }
            if (need > buf.length) {
                grow((int) need);
            }
        }

        /** Index of the next CRLF at or after {@code pos}, or -1. */
        private int lineEnd() {
            for (int i = pos; i + 1 < end; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        /**
         * Parses a request head once it is complete. True to go on parsing (the body, or a body being
         * dropped after an error answer); false to wait for more bytes, or when the connection is done.
         */
        private boolean head() throws IOException {
            int headEnd = -1;
            for (int i = pos; i + 3 < end; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                    headEnd = i;
                    break;
                }
            }
            if (headEnd < 0) {
                if (end - pos > MAX_HEAD) {
                    plain(431, "Request Header Fields Too Large", "request head larger than " + MAX_HEAD + " bytes\n", null);
                }
                return false;
            }
            if (headEnd - pos > MAX_HEAD) {
                plain(431, "Request Header Fields Too Large", "request head larger than " + MAX_HEAD + " bytes\n", null);
                return false;
            }
            String head = new String(buf, pos, headEnd - pos, StandardCharsets.ISO_8859_1);
            pos = headEnd + 4;
            int eol = head.indexOf("\r\n");
            String requestLine = eol < 0 ? head : head.substring(0, eol);
            String[] parts = requestLine.split(" ");
            if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                badRequest("bad request line");
                return false;
            }
            String method = parts[0];
            String target = parts[1];
            http10 = parts[2].equals("HTTP/1.0");
            long contentLength = -1;
            chunked = false;
            String connection = null;
            String authorization = null;
            boolean expectContinue = false;
            int at = eol < 0 ? head.length() : eol + 2;
            while (at < head.length()) {
                int next = head.indexOf("\r\n", at);
                if (next < 0) {
                    next = head.length();
                }
                int colon = head.indexOf(':', at);
                if (colon > at && colon < next) {
                    String name = head.substring(at, colon).trim();
                    String value = head.substring(colon + 1, next).trim();
                    if (name.equalsIgnoreCase("Content-Length")) {
                        try {
                            long v = Long.parseLong(value);
                            if (v < 0 || contentLength >= 0 && contentLength != v) {
                                throw new NumberFormatException();
                            }
                            contentLength = v;
                        } catch (NumberFormatException e) {
                            badRequest("bad Content-Length");
                            return false;
                        }
                    } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                        if (!value.equalsIgnoreCase("chunked")) {
                            plain(501, "Not Implemented", "transfer coding not supported: " + value + "\n", null);
                            return false;
                        }
                        chunked = true;
                    } else if (name.equalsIgnoreCase("Connection")) {
                        connection = value.toLowerCase(Locale.ROOT);
                    } else if (name.equalsIgnoreCase("Authorization")) {
                        authorization = value;
                    } else if (name.equalsIgnoreCase("Expect")) {
                        expectContinue = value.equalsIgnoreCase("100-continue");
                    }
                }
                at = next + 2;
            }
            if (chunked && contentLength >= 0) {
                badRequest("both Content-Length and chunked");
                return false;
            }
            keepAlive = http10 ? connection != null && connection.contains("keep-alive")
                    : connection == null || !connection.contains("close");
            remaining = chunked ? 0 : Math.max(0, contentLength);
            bodySize = 0;
            dropping = false;
            dropped = 0;
            int query = target.indexOf('?');
            String p = query >= 0 ? target.substring(0, query) : target;
            if (token != null && !authorized(authorization)) {
                refuse(401, "Unauthorized", "access token required\n",
                        "WWW-Authenticate: Bearer realm=\"tessera\", Basic realm=\"tessera\"\r\n");
                return !closed;
            }
            if (!p.equals(path)) {
                refuse(404, "Not Found", "no such path: " + p + "\n", null);
                return !closed;
            }
            if (!method.equals("POST")) {
                refuse(405, "Method Not Allowed", "XML-RPC endpoint: POST a methodCall to " + path + "\n", "Allow: POST\r\n");
                return !closed;
            }
            if (!chunked && contentLength < 0) {
                plain(411, "Length Required", "send the body with Content-Length or chunked\n", null);
                return false;
            }
            if (!chunked && contentLength > maxBody) {
                phase = Phase.BODY;
                startDropping();
                return !closed;
            }
            if (expectContinue && end - pos == 0) {
                ch.write(ByteBuffer.wrap(CONTINUE));
            }
            if (chunked) {
                body = new byte[1024];
                phase = Phase.CHUNK_SIZE;
            } else if (contentLength == 0) {
                body = new byte[0];
                complete();
            } else {
                phase = Phase.BODY;
            }
            return true;
        }

        /** Answers an error before the body is read, then drops the body (or closes when there is none to drop). */
        private void refuse(int status, String reason, String text, String extraHeaders) throws IOException {
            dropping = true;
            closeAfterWrite = true;
            send(status, reason, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), extraHeaders);
            if (chunked) {
                phase = Phase.CHUNK_SIZE;
            } else {
                phase = Phase.BODY;
                if (remaining == 0) {
                    finishDropping();
                }
            }
        }

        private void badRequest(String why) throws IOException {
            plain(400, "Bad Request", why + "\n", null);
        }

        /** A text answer after which the connection is closed (nothing more is read). */
        private void plain(int status, String reason, String text, String extraHeaders) throws IOException {
            closeAfterWrite = true;
            dropping = false;
            pos = end;
            send(status, reason, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), extraHeaders);
        }

        /** Over the limit: answers the fault at once and drops the rest of the body. */
        private void startDropping() throws IOException {
            dropping = true;
            body = null;
            closeAfterWrite = true;
            send(200, "OK", XML, handler.tooLarge(maxBody), null);
        }

        /** All of an oversized body was dropped (or enough of it): close once the answer is out. */
        private void finishDropping() {
            dropping = false;
            pos = end;
            phase = Phase.HEAD;
            if (out == null) {
                closeGracefully();
            } else {
                // flush() closes after the last byte
                key.interestOps(SelectionKey.OP_WRITE);
            }
        }

        /** A whole call is in {@link #body}: answer it here or on the pool. */
        private void complete() throws IOException {
            phase = Phase.HEAD;
            byte[] call = body;
            body = null;
            boolean inline;
            try {
                inline = handler.inline(call);
            } catch (RuntimeException e) {
                inline = false;
            }
            if (inline) {
                byte[] answer = handleSafely(call, true);
                prepare(200, "OK", XML, answer, null);
                held = true;
                loop.round.add(this);
                key.interestOps(0);
                return;
            }
            dispatched = true;
            key.interestOps(0);
            try {
                pool.execute(() -> {
                    byte[] answer = handleSafely(call, false);
                    loop.execute(() -> {
                        dispatched = false;
                        if (closed) {
                            return;
                        }
                        try {
                            send(200, "OK", XML, answer, null);
                            if (out == null) {
                                parse();
                                resume();
                            }
                        } catch (IOException | RuntimeException e) {
                            close();
                        }
                    });
                });
            } catch (RejectedExecutionException e) {
                dispatched = false;
                plain(503, "Service Unavailable", "the tracker is stopping\n", null);
            }
        }

        private byte[] handleSafely(byte[] call, boolean inline) {
            try {
                return handler.handle(call, inline);
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.ERROR, "tracker call failed", e);
                return XmlRpcCodec.fault(XmlRpcFault.INTERNAL_ERROR, "internal error: " + e);
            }
        }

        /** After a round was stored: sends the held answer (or {@code failed} instead). */
        void sendHeld(byte[] failed) {
            held = false;
            if (closed) {
                return;
            }
            try {
                if (failed != null) {
                    prepare(200, "OK", XML, failed, null);
                }
                if (flush()) {
                    parse();
                    resume();
                }
            } catch (IOException | RuntimeException e) {
                close();
            }
        }

        /** Reading interest again once nothing is held, dispatched or waiting to be written. */
        private void resume() {
            if (!closed && !held && !dispatched && out == null) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        private void prepare(int status, String reason, String type, byte[] content, String extraHeaders) {
            if (status == 200 && extraHeaders == null && !closeAfterWrite && keepAlive && !http10 && type == XML) {
                out = new ByteBuffer[] {ByteBuffer.wrap(loop.okHead(content.length)), ByteBuffer.wrap(content)};
                return;
            }
            StringBuilder h = new StringBuilder(160).append("HTTP/1.1 ").append(status).append(' ').append(reason)
                    .append("\r\nDate: ").append(loop.date()).append("\r\nContent-Type: ").append(type)
                    .append("\r\nContent-Length: ").append(content.length).append("\r\n");
            if (extraHeaders != null) {
                h.append(extraHeaders);
            }
            if (closeAfterWrite || !keepAlive) {
                closeAfterWrite = true;
                h.append("Connection: close\r\n");
            } else if (http10) {
                h.append("Connection: keep-alive\r\n");
            }
            h.append("\r\n");
            out = new ByteBuffer[] {ByteBuffer.wrap(h.toString().getBytes(StandardCharsets.ISO_8859_1)), ByteBuffer.wrap(content)};
        }

        /** Prepares and writes an answer now. */
        private void send(int status, String reason, String type, byte[] content, String extraHeaders) throws IOException {
            prepare(status, reason, type, content, extraHeaders);
            flush();
        }

        /** Writes what is pending; true when all of it went out (and the connection stays open). */
        private boolean flush() throws IOException {
            if (out == null) {
                return true;
            }
            ch.write(out);
            if (out[1].hasRemaining()) {
                // while dropping an oversized body, keep reading it too: the client may send it all first
                key.interestOps(dropping ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_WRITE);
                return false;
            }
            out = null;
            lastActive = System.nanoTime();
            if (closeAfterWrite && !dropping) {
                closeGracefully();
                return false;
            }
            if (dropping) {
                // keep reading to drop the rest of the body
                key.interestOps(SelectionKey.OP_READ);
                return false;
            }
            key.interestOps(SelectionKey.OP_READ);
            return true;
        }

        private boolean authorized(String header) {
            return org.tessera.http.HttpEndpoint.authorizes(token, header);
        }

        /**
         * Closes after the answer: sends FIN, then reads and drops what the client still sends until it
         * closes too (or {@link #LINGER_NANOS}, or 1 MiB). Closing at once with unread bytes would
         * reset the connection, and the client could lose the answer it has not read yet.
         */
        private void closeGracefully() {
            if (closed || lingering) {
                return;
            }
            try {
                ch.shutdownOutput();
            } catch (IOException e) {
                close();
                return;
            }
            lingering = true;
            lastActive = System.nanoTime();
            pos = 0;
            end = 0;
            key.interestOps(SelectionKey.OP_READ);
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (loop.conns.remove(this)) {
                open.decrementAndGet();
            }
            if (key != null) {
                key.cancel();
            }
            closeQuietly(ch);
        }
    }
}
