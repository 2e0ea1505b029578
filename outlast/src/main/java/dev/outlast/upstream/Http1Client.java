package dev.outlast.upstream;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.util.TransportType;
import dev.outlast.time.Timers;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * JSON POSTs to one provider endpoint over HTTP/1.1 (plain or TLS), on Netty directly.
 *
 * <p>An upstream call is the costliest part of an RPC pass-through, and most of its cost was the
 * general-purpose client's machinery rather than the exchange itself (request contexts, response
 * streams, logs): measured in {@code benchmarks/wrk-vs-nginx.sh}, an Armeria server forwarding
 * bytes reaches 0.57x nginx's rate with Armeria's client and 0.79x with a client like this one
 * (docs/benchmarks.md). This one does what a JSON-RPC call needs and nothing else: one request in
 * flight per connection, keep-alive connections kept per event loop and used by calls on that
 * loop (a call runs on the loop of the request it serves, as in {@code server.CallerLoopScheduler},
 * so the answer reaches the client's connection without a hand-over between threads), a response
 * read whole (at most {@link #MAX_RESPONSE_BYTES}) before it is handed over.
 *
 * <p>A call completes with a {@link Reply} for any HTTP answer, or exceptionally with a
 * {@link CallFailure} that says what kind of failure it was: {@link FailureKind#CONNECT} when no
 * connection could be made (refused, unresolvable name, TLS handshake, connect timeout),
 * {@link FailureKind#TIMEOUT} when no whole answer came within the call's timeout,
 * {@link FailureKind#RESET} when the connection failed or closed before the answer was whole.
 * Cancelling the returned future closes the call's connection.
 *
 * <p>Thread-safe. Never blocks the caller: a host name is resolved on Armeria's blocking pool, once
 * per new connection.
 */
final class Http1Client implements AutoCloseable {

    /** The largest answer read; a larger one fails the call. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    /**
     * The most connections one event loop keeps to one upstream (a few loops per machine: some
     * hundreds in all); further calls wait for one of them, within their timeout, rather than open
     * thousands of connections to a provider in a burst.
     */
    static final int MAX_CONNECTIONS_PER_LOOP = 128;

    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    private static final long IDLE_SECONDS = 30;
    private static final AsciiString JSON_UTF_8 = AsciiString.cached("application/json; charset=utf-8");
    private static final AsciiString USER_AGENT = AsciiString.cached("outlast");
    /** The request's headers are this class's constants and a host and credentials from a parsed URI. */
    private static final DefaultHttpHeadersFactory TRUSTED_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final String host;
    private final int port;
    private final AsciiString hostHeader;
    private final String path;
    private final AsciiString authorization;
    private final SslContext tls;
    private final int maxResponseBytes;
    private final int maxConnectionsPerLoop;
    private final ConcurrentHashMap<EventLoop, Pool> pools = new ConcurrentHashMap<>();
    private final AtomicInteger connected = new AtomicInteger();
    private volatile boolean closed;

    /** What the provider answered, its body whole. */
    record Reply(int status, HttpHeaders headers, byte[] body) {
    }

    /** Why a call got no HTTP answer. */
    static final class CallFailure extends Exception {
        private final FailureKind kind;

        CallFailure(FailureKind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        FailureKind kind() {
            return kind;
        }
    }

    /** A client for {@code url} (http or https) on {@code factory}'s event loops. */
    Http1Client(URI url, ClientFactory factory) {
        this(url, factory, null, MAX_RESPONSE_BYTES, MAX_CONNECTIONS_PER_LOOP);
    }

    /** With {@code trust} instead of the JDK's default trust store for TLS, and other limits (tests). */
    Http1Client(URI url, ClientFactory factory, TrustManagerFactory trust, int maxResponseBytes,
                int maxConnectionsPerLoop) {
        this.maxResponseBytes = maxResponseBytes;
        this.maxConnectionsPerLoop = maxConnectionsPerLoop;
        this.group = factory.eventLoopGroup();
        this.channelType = TransportType.socketChannelType(group);
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        this.host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                                                  : url.getHost();
        int defaultPort = https ? 443 : 80;
        this.port = url.getPort() < 0 ? defaultPort : url.getPort();
        this.hostHeader = AsciiString.cached(port == defaultPort ? url.getHost() : url.getHost() + ':' + port);
        String rawPath = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        this.path = url.getRawQuery() == null ? rawPath : rawPath + '?' + url.getRawQuery();
        String userInfo = url.getRawUserInfo();
        this.authorization = userInfo == null ? null : AsciiString.cached("Basic " + Base64.getEncoder().encodeToString(
                URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)));
        try {
            // the certificate must name the host (RFC 2818), as browsers and curl check
            this.tls = https ? SslContextBuilder.forClient().trustManager(trust)
                    .endpointIdentificationAlgorithm("HTTPS").build() : null;
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for " + host + ": " + e.getMessage(), e);
        }
    }

    /**
     * POSTs {@code body} as JSON; completes with the answer, or with a {@link CallFailure} when
     * none came whole within {@code timeout}.
     */
    CompletableFuture<Reply> post(byte[] body, Duration timeout) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        EventLoop loop = Timers.current(group) instanceof EventLoop current ? current : group.next();
        Call call = new Call(loop, body, result);
        if (loop.inEventLoop()) {
            call.start(timeout);
        } else if (!run(loop, () -> call.start(timeout))) {
            result.completeExceptionally(new CallFailure(FailureKind.CONNECT, "the event loops are shut down"));
            return result;
        }
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                run(loop, call::abort);
            }
        });
        return result;
    }

    /** Connections open to the upstream now, on all loops, busy or idle. */
    int openConnections() {
        return connected.get();
    }

    /** Closes idle connections now and the others when their call ends; later calls fail. */
    @Override
    public void close() {
        closed = true;
        pools.forEach((loop, pool) -> run(loop, () -> {
            Connection c;
            while ((c = pool.idle.pollFirst()) != null) {
                c.channel.close();
            }
            Call waiting;
            while ((waiting = pool.waiting.pollFirst()) != null) {
                waiting.fail(FailureKind.CONNECT, "the client is closed");
            }
        }));
    }

    /** Runs {@code task} on {@code loop}; false if the loop no longer takes tasks (shut down). */
    private static boolean run(EventLoop loop, Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** One call; everything but its creation runs on its loop. */
    private final class Call {
        private final EventLoop loop;
        private final byte[] body;
        private final CompletableFuture<Reply> result;
        private ScheduledFuture<?> timer;
        private Pool pool;
        private Connection connection;

        Call(EventLoop loop, byte[] body, CompletableFuture<Reply> result) {
            this.loop = loop;
            this.body = body;
            this.result = result;
        }

        void start(Duration timeout) {
            if (result.isDone()) {
                return;
            }
            if (closed) {
                fail(FailureKind.CONNECT, "the client is closed");
                return;
            }
            timer = loop.schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
            pool = pools.computeIfAbsent(loop, l -> new Pool());
            Connection c;
            while ((c = pool.idle.pollLast()) != null) {
                if (c.channel.isActive()) {
                    c.send(this);
                    return;
                }
            }
            if (pool.open < maxConnectionsPerLoop) {
                pool.open++;
                connect();
            } else {
                pool.waiting.addLast(this);
            }
        }

        private void connect() {
            if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
                connectTo(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host), port));
                return;
            }
            CommonPools.blockingTaskExecutor().execute(() -> {
                Runnable next;
                try {
                    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
                    next = () -> connectTo(address);
                } catch (IOException | RuntimeException e) {
                    next = () -> connectFailed("cannot resolve " + host + ": " + describe(e));
                }
                if (!run(loop, next)) {
                    fail(FailureKind.CONNECT, "the event loops are shut down");
                }
            });
        }

        /** The connection this call was to open was not made: the slot goes to the next waiting call. */
        private void connectFailed(String why) {
            pool.open--;
            fail(FailureKind.CONNECT, why);
            pool.openForNext();
        }

        private void connectTo(InetSocketAddress address) {
            if (result.isDone()) {
                pool.open--;
                pool.openForNext();
                return;
            }
            Connection connection = new Connection(pool);
            ChannelFuture connected = new Bootstrap().group(loop).channel(channelType)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ChannelPipeline p = ch.pipeline();
                            if (tls != null) {
                                p.addLast(tls.newHandler(ch.alloc(), host, port));
                            }
                            // a request is written whole with one flush: nothing for server.WriteCoalescing to merge
                            p.addLast(new HttpClientCodec(), new HttpObjectAggregator(maxResponseBytes),
                                    new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS), connection);
                        }
                    })
                    .connect(address);
            connected.addListener(f -> {
                if (!f.isSuccess()) {
                    connectFailed(describe(f.cause()));
                    return;
                }
                SslHandler ssl = connected.channel().pipeline().get(SslHandler.class);
                if (ssl == null) {
                    connection.use(this);
                    return;
                }
                ssl.handshakeFuture().addListener(h -> {
                    if (h.isSuccess()) {
                        connection.use(this);
                    } else {
                        connected.channel().close();
                        fail(FailureKind.CONNECT, "TLS handshake with " + host + " failed: " + describe(h.cause()));
                    }
                });
            });
        }

        private void timedOut() {
            if (fail(FailureKind.TIMEOUT, "no response within the timeout")) {
                if (connection != null) {
                    connection.channel.close();
                } else if (pool != null) {
                    pool.waiting.remove(this);
                }
            }
        }

        void abort() {
            if (timer != null) {
                timer.cancel(false);
            }
            if (connection != null && connection.current == this) {
                connection.current = null;
                connection.channel.close();
            } else if (pool != null) {
                pool.waiting.remove(this);
            }
        }

        boolean fail(FailureKind kind, String message) {
            if (timer != null) {
                timer.cancel(false);
            }
            return result.completeExceptionally(new CallFailure(kind, message));
        }

        void succeed(Reply reply) {
            if (timer != null) {
                timer.cancel(false);
            }
            result.complete(reply);
        }
    }

    /** One event loop's connections to the upstream; touched on that loop only. */
    private final class Pool {
        private final ArrayDeque<Connection> idle = new ArrayDeque<>();
        private final ArrayDeque<Call> waiting = new ArrayDeque<>();
        /** Connections open or being opened. */
        private int open;

        /** The longest-waiting call that is still waiting, or null. */
        Call nextWaiting() {
            Call call;
            while ((call = waiting.pollFirst()) != null) {
                if (!call.result.isDone()) {
                    return call;
                }
            }
            return null;
        }

        /** A connection slot came free: opens one for the next waiting call, if any. */
        void openForNext() {
            if (open < maxConnectionsPerLoop) {
                Call next = nextWaiting();
                if (next != null) {
                    open++;
                    next.connect();
                }
            }
        }
    }

    /** One connection's handler: at most one call at a time; back to its loop's pool when answered. */
    private final class Connection extends ChannelInboundHandlerAdapter {
        private final Pool pool;
        private Channel channel;
        private Call current;

        Connection(Pool pool) {
            this.pool = pool;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connected.incrementAndGet();
            ctx.fireChannelActive();
        }

        /** A new connection's first call, or back to the pool if that call ended while connecting. */
        void use(Call call) {
            if (call.result.isDone()) {
                release();
            } else {
                send(call);
            }
        }

        void send(Call call) {
            current = call;
            call.connection = this;
            ByteBuf content = Unpooled.wrappedBuffer(call.body);
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    path, content, TRUSTED_HEADERS, DefaultHttpHeadersFactory.trailersFactory());
            HttpHeaders headers = request.headers();
            headers.set(HttpHeaderNames.HOST, hostHeader);
            headers.set(HttpHeaderNames.CONTENT_TYPE, JSON_UTF_8);
            headers.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            headers.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
            if (authorization != null) {
                headers.set(HttpHeaderNames.AUTHORIZATION, authorization);
            }
            channel.writeAndFlush(request).addListener(f -> {
                if (!f.isSuccess() && current == call) {
                    current = null;
                    channel.close();
                    call.fail(FailureKind.RESET, "cannot send the request: " + describe(f.cause()));
                }
            });
        }

        /** To the next waiting call, else back to the pool; closed if it cannot take one. */
        private void release() {
            if (closed || !channel.isActive()) {
                channel.close();
                return;
            }
            Call next = pool.nextWaiting();
            if (next != null) {
                send(next);
            } else {
                pool.idle.addLast(this);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpResponse response)) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            try {
                Call call = current;
                current = null;
                if (call == null) {
                    channel.close(); // an answer nobody asked for: the connection is out of step
                    return;
                }
                if (response.decoderResult().isFailure()) {
                    channel.close();
                    call.fail(FailureKind.RESET, "malformed or cut HTTP response: "
                            + describe(response.decoderResult().cause()));
                    return;
                }
                ByteBuf content = response.content();
                byte[] bytes = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), bytes);
                if (HttpUtil.isKeepAlive(response) && !call.result.isDone()) {
                    release();
                } else {
                    channel.close();
                }
                call.succeed(new Reply(response.status().code(), response.headers(), bytes));
            } finally {
                response.release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent && current == null) {
                pool.idle.remove(this);
                channel.close();
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Call call = current;
            current = null;
            channel.close();
            if (call != null) {
                call.fail(FailureKind.RESET, cause instanceof TooLongFrameException
                        ? "response larger than " + maxResponseBytes + " bytes" : describe(cause));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connected.decrementAndGet();
            pool.idle.remove(this);
            pool.open--;
            Call call = current;
            current = null;
            if (call != null) {
                call.fail(FailureKind.RESET, "connection closed before the whole response");
            }
            pool.openForNext();
            ctx.fireChannelInactive();
        }
    }

    private static String describe(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause
               && (cause.getMessage() == null || cause instanceof io.netty.handler.codec.DecoderException)) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + message;
    }
}
