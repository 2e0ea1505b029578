package dev.outlast.transport.client;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.util.TransportType;
import dev.outlast.time.Timers;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Keep-alive HTTP/1.1 connections to one endpoint (plain or TLS), on Netty directly: what Outlast's
 * two lean clients share, the JSON-RPC upstream client ({@link Http1Client}) and the site origin
 * client ({@link OriginClient}). Each says what to send and how to read the answer, as an
 * {@link Http1Exchange}; this class finds it a {@link PooledConnection}.
 *
 * <p>One exchange in flight per connection. Connections are kept per event loop and used by
 * exchanges on that loop: an exchange runs on the loop of the client request it serves
 * ({@link #loop()}), so the answer reaches the client's connection without a hand-over between
 * threads. At most {@code maxConnectionsPerLoop} per loop; further exchanges wait in order for one
 * to come free (their own timeouts bound the wait). A connection idle for {@value #IDLE_SECONDS} s
 * is closed; connecting may take {@value #CONNECT_TIMEOUT_MILLIS} ms. TLS checks the certificate
 * against the JDK's trust store (or the one given) and the URL's host name (RFC 2818), as browsers
 * and curl do, and sends the name (SNI). A host name is resolved on Armeria's blocking pool when a
 * connection is opened, never on an event loop.
 *
 * <p>Thread-safe; an exchange's callbacks all run on its loop.
 */
final class Http1Connections implements AutoCloseable {

    static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    static final long IDLE_SECONDS = 30;

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final String host;
    private final int port;
    private final SslContext tls;
    private final int maxConnectionsPerLoop;
    private final int aggregateUpTo;
    private final ConcurrentHashMap<EventLoop, Pool> pools = new ConcurrentHashMap<>();
    private final AtomicInteger connected = new AtomicInteger();
    private volatile boolean closed;

    /**
     * Connections to {@code url}'s host and port (http or https) on {@code factory}'s event loops.
     *
     * @param trust         the trust store for TLS, or null for the JDK's
     * @param aggregateUpTo when positive, answers reach exchanges whole (one
     *                      {@link io.netty.handler.codec.http.FullHttpResponse}, at most this many body
     *                      bytes, or a {@link io.netty.handler.codec.TooLongFrameException}); when 0, as
     *                      the codec decodes them (headers, then body chunks)
     */
    public Http1Connections(URI url, ClientFactory factory, TrustManagerFactory trust, int maxConnectionsPerLoop,
                            int aggregateUpTo) {
        this.group = factory.eventLoopGroup();
        this.channelType = TransportType.socketChannelType(group);
        this.maxConnectionsPerLoop = maxConnectionsPerLoop;
        this.aggregateUpTo = aggregateUpTo;
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        this.host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                                                  : url.getHost();
        this.port = url.getPort() < 0 ? (https ? 443 : 80) : url.getPort();
        try {
            this.tls = https ? SslContextBuilder.forClient().trustManager(trust)
                    .endpointIdentificationAlgorithm("HTTPS").build() : null;
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for " + host + ": " + e.getMessage(), e);
        }
    }

    /** The event loop an exchange made now should run on: the caller's when it is one of ours. */
    public EventLoop loop() {
        return Timers.current(group) instanceof EventLoop current ? current : group.next();
    }

    /**
     * Finds {@code exchange} a connection: an idle one of its loop, a new one, or the next to come
     * free; then calls {@link Http1Exchange#send}, or {@link Http1Exchange#notConnected}. Call on the
     * exchange's loop.
     */
    public void acquire(Http1Exchange exchange) {
        if (closed) {
            exchange.notConnected(new ConnectException("the client is closed"));
            return;
        }
        Pool pool = pools.computeIfAbsent(exchange.loop, l -> new Pool());
        exchange.pool = pool;
        PooledConnection c;
        while ((c = pool.idle.pollLast()) != null) {
            if (c.channel().isActive()) {
                c.send(exchange);
                return;
            }
        }
        if (pool.open < maxConnectionsPerLoop) {
            pool.open++;
            connect(exchange);
        } else {
            pool.waiting.addLast(exchange);
        }
    }

    /** Connections open now, on all loops, busy or idle. */
    public int openConnections() {
        return connected.get();
    }

    /** Closes idle connections now and the others when their exchange ends; waiting and later exchanges fail. */
    @Override
    public void close() {
        closed = true;
        pools.forEach((loop, pool) -> run(loop, () -> {
            PooledConnection c;
            while ((c = pool.idle.pollFirst()) != null) {
                c.channel().close();
            }
            Http1Exchange waiting;
            while ((waiting = pool.waiting.pollFirst()) != null) {
                waiting.notConnected(new ConnectException("the client is closed"));
            }
        }));
    }

    /** Runs {@code task} on {@code loop}; false if the loop no longer takes tasks (shut down). */
    public static boolean run(EventLoop loop, Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The innermost useful message of {@code t}, with its class: "ConnectException: Connection refused: ...". */
    public static String describe(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause
               && (cause.getMessage() == null || cause instanceof io.netty.handler.codec.DecoderException)) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + message;
    }

    private void connect(Http1Exchange exchange) {
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            connectTo(exchange, new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host), port));
            return;
        }
        CommonPools.blockingTaskExecutor().execute(() -> {
            Runnable next;
            try {
                InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
                next = () -> connectTo(exchange, address);
            } catch (IOException | RuntimeException e) {
                next = () -> connectFailed(exchange, new ConnectException("cannot resolve " + host + ": " + describe(e)));
            }
            if (!run(exchange.loop, next)) {
                exchange.notConnected(new ConnectException("the event loops are shut down"));
            }
        });
    }

    /** The connection {@code exchange} was to open was not made: its slot goes to the next waiting exchange. */
    private void connectFailed(Http1Exchange exchange, Throwable cause) {
        exchange.pool.open--;
        exchange.notConnected(cause);
        exchange.pool.openForNext();
    }

    private void connectTo(Http1Exchange exchange, InetSocketAddress address) {
        Pool pool = exchange.pool;
        if (exchange.ended()) {
            pool.open--;
            pool.openForNext();
            return;
        }
        PooledConnection connection = new PooledConnection(pool);
        ChannelFuture connecting = new Bootstrap().group(exchange.loop).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast(tls.newHandler(ch.alloc(), host, port));
                        }
                        p.addLast(new HttpClientCodec());
                        if (aggregateUpTo > 0) {
                            p.addLast(new HttpObjectAggregator(aggregateUpTo));
                        }
                        p.addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS), connection);
                    }
                })
                .connect(address);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                connectFailed(exchange, f.cause());
                return;
            }
            SslHandler ssl = connecting.channel().pipeline().get(SslHandler.class);
            if (ssl == null) {
                connection.use(exchange);
                return;
            }
            ssl.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    connection.use(exchange);
                } else {
                    connecting.channel().close();
                    exchange.notConnected(new ConnectException(
                            "TLS handshake with " + host + " failed: " + describe(h.cause())));
                }
            });
        });
    }

    /** One event loop's connections; touched on that loop only. */
    final class Pool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final ArrayDeque<Http1Exchange> waiting = new ArrayDeque<>();
        /** Connections open or being opened. */
        private int open;

        Http1Exchange nextWaiting() {
            Http1Exchange e;
            while ((e = waiting.pollFirst()) != null) {
                if (!e.ended()) {
                    return e;
                }
            }
            return null;
        }

        /** A connection slot came free: opens one for the next waiting exchange, if any. */
        void openForNext() {
            if (open < maxConnectionsPerLoop) {
                Http1Exchange next = nextWaiting();
                if (next != null) {
                    open++;
                    connect(next);
                }
            }
        }

        /** Whether the client was closed: connections coming free close too. */
        boolean clientClosed() {
            return closed;
        }

        /** A connection of this pool is up. */
        void opened() {
            connected.incrementAndGet();
        }

        /** {@code c} closed: its slot is free. */
        void closed(PooledConnection c) {
            connected.decrementAndGet();
            idle.remove(c);
            open--;
        }
    }
}
