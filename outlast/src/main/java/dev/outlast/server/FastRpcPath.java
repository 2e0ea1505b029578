package dev.outlast.server;

import dev.outlast.routing.Chain;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /rpc/{chain}} over HTTP/1.1 answered right behind the HTTP/1 decoder, without
 * Armeria's per-request machinery (request context, log, routing, response streams): the one path
 * whose cost is mostly that machinery, since an answer from the cache or a pass-through does little
 * else (docs/benchmarks.md).
 *
 * <p>Armeria still owns the listener, the connections and every other request. On each client
 * connection a handler is placed right after Armeria's HTTP/1 decoder. It answers a request itself
 * only when it is plainly a JSON-RPC call: {@code POST /rpc/<a chain>}, HTTP/1.1, a single
 * {@code Content-Length} within {@code server.maxRequestBytes}, no {@code Transfer-Encoding},
 * {@code Expect}, {@code Upgrade} or {@code Origin} (CORS), and a {@code Host} that is not a site's.
 * Anything else (a site, the status page, a browser's CORS call, a chunked or oversized body, an
 * HTTP/2 connection, a malformed request) goes on to Armeria untouched, which answers it as it
 * always has; the body is answered by the same {@link RpcService#reply} either way.
 *
 * <p>Answers leave in request order: a request waits while an earlier one, of either kind, is being
 * answered. Armeria's idle timer only sees Armeria's own requests; when it would close a connection
 * that carried calls answered here within {@code server.idleTimeout}, the connection stays open and
 * this handler closes it once it is idle by both measures. Between {@link #stopping()} and the
 * server's stop each answer here carries {@code Connection: close}. {@code server.fastPath: false}
 * leaves every request to Armeria.
 *
 * <p>It leans on two facts about Armeria 1.33's HTTP/1 pipeline, both covered by
 * {@code FastRpcPathTest}: its decoder is the class named {@value #ARMERIA_CODEC} (if it is not
 * found the path stays off, with a warning), and its idle timer closes a connection through the
 * pipeline. A chain's deadline bounds every call answered here, as it does behind Armeria.
 *
 * <p>Thread-safe to share; each connection's handler runs on that connection's event loop.
 */
final class FastRpcPath {

    private static final Logger log = LoggerFactory.getLogger(FastRpcPath.class);
    /** Armeria's HTTP/1 codec (package-private), after which requests arrive as Netty HTTP objects. */
    private static final String ARMERIA_CODEC = "com.linecorp.armeria.server.HttpServerCodec";
    private static final String PREFIX = "/rpc/";
    /** How much of a pipelined client's input may wait before reading pauses. */
    private static final int MAX_QUEUED_BYTES = 256 * 1024;
    private static final AsciiString JSON = AsciiString.cached("application/json; charset=utf-8");

    private final RpcService rpc;
    private final Map<String, Chain> chains;
    private final Set<String> siteHosts;
    private final long maxRequestBytes;
    private final long idleNanos;
    private final LongAdder answered = new LongAdder();
    private volatile boolean stopping;
    private volatile boolean warned;

    /**
     * @param siteHosts the sites' host names, lower case: their requests are the sites'
     */
    FastRpcPath(RpcService rpc, Set<String> siteHosts, long maxRequestBytes, Duration idleTimeout) {
        this.rpc = rpc;
        this.chains = rpc.chains();
        this.siteHosts = Set.copyOf(siteHosts);
        this.maxRequestBytes = maxRequestBytes;
        this.idleNanos = idleTimeout.toNanos();
    }

    /** For {@code ServerBuilder.childChannelPipelineCustomizer}: watches a new client connection. */
    void install(ChannelPipeline pipeline) {
        pipeline.addFirst(new Placement());
    }

    /** From now on answers carry {@code Connection: close}, and only the server closes connections. */
    void stopping() {
        stopping = true;
    }

    /** Requests answered here so far. */
    long answered() {
        return answered.sum();
    }

    /**
     * Waits for a connection's first four bytes. HTTP/2's preface starts with {@code PRI }: the
     * connection is left to Armeria. Otherwise those four bytes go on alone, so that Armeria sets up
     * its HTTP/1 pipeline, then {@link Connection} is placed after its decoder, and the rest follows.
     */
    private final class Placement extends ChannelInboundHandlerAdapter {

        private ByteBuf pending;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf bytes)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (pending == null) {
                pending = bytes;
            } else {
                pending = Unpooled.wrappedBuffer(pending, bytes);
            }
            if (pending.readableBytes() < 4) {
                return;
            }
            ChannelPipeline pipeline = ctx.pipeline();
            if (pending.getInt(pending.readerIndex()) != 0x50524920) { // "PRI "
                ctx.fireChannelRead(pending.readRetainedSlice(4));
                String codec = null;
                for (Map.Entry<String, ChannelHandler> e : pipeline) {
                    if (e.getValue().getClass().getName().equals(ARMERIA_CODEC)) {
                        codec = e.getKey();
                    }
                }
                if (codec != null && ctx.channel().isActive()) {
                    pipeline.addAfter(codec, "outlast-fast-rpc", new Connection());
                } else if (codec == null && !warned) {
                    warned = true;
                    log.warn("the JSON-RPC fast path is off: Armeria's HTTP/1 pipeline is not the one it knows;"
                             + " every request is served by Armeria");
                }
            }
            pipeline.remove(this);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            ByteBuf rest = pending;
            pending = null;
            if (rest != null) {
                if (rest.isReadable()) {
                    ctx.fireChannelRead(rest);
                } else {
                    rest.release();
                }
            }
        }
    }

    /** A fast request whose body is being read. */
    private static final class Call {
        final Chain chain;
        final boolean keepAlive;
        final byte[] body;
        int filled;

        Call(Chain chain, boolean keepAlive, int length) {
            this.chain = chain;
            this.keepAlive = keepAlive;
            this.body = new byte[length];
        }
    }

    /** One client connection over HTTP/1: answers fast requests, passes the rest to Armeria. */
    private final class Connection extends ChannelDuplexHandler {

        private final ArrayDeque<Object> queued = new ArrayDeque<>();
        private int queuedBytes;
        private boolean paused;
        /** The fast request whose body is arriving. */
        private Call reading;
        /** A fast request is being answered. */
        private boolean answering;
        /** The content of a request passed to Armeria is arriving. */
        private boolean passing;
        /** Requests passed to Armeria whose answer has not been written to the end yet. */
        private int armeriaOpen;
        /** An upgrade (WebSocket, h2c) was passed on: from then on everything is Armeria's. */
        private boolean upgraded;
        private boolean closing;
        private long lastFast;
        private long lastArmeria = System.nanoTime();
        private ScheduledFuture<?> idleCheck;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof HttpObject) || upgraded) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (closing) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (answering || !queued.isEmpty()) {
                queue(ctx, msg);
                return;
            }
            if (!dispatch(ctx, msg)) {
                queue(ctx, msg);
            }
        }

        private void queue(ChannelHandlerContext ctx, Object msg) {
            queued.add(msg);
            if (msg instanceof HttpContent content) {
                queuedBytes += content.content().readableBytes();
            }
            if (queuedBytes > MAX_QUEUED_BYTES + maxRequestBytes && !paused) {
                paused = true;
                ctx.channel().config().setAutoRead(false);
            }
        }

        /** Handles one message in order; false if it has to wait for Armeria's open answers. */
        private boolean dispatch(ChannelHandlerContext ctx, Object msg) {
            if (passing) {
                lastArmeria = System.nanoTime();
                passing = !(msg instanceof LastHttpContent);
                ctx.fireChannelRead(msg);
                return true;
            }
            if (reading != null) {
                read(ctx, (HttpObject) msg);
                return true;
            }
            if (msg instanceof HttpRequest request) {
                Chain chain = fast(request);
                if (chain == null) {
                    armeriaOpen++;
                    lastArmeria = System.nanoTime();
                    passing = !(msg instanceof LastHttpContent);
                    upgraded = request.headers().contains(HttpHeaderNames.UPGRADE);
                    ctx.fireChannelRead(msg);
                    return true;
                }
                if (armeriaOpen > 0) {
                    return false;
                }
                lastFast = System.nanoTime();
                reading = new Call(chain, HttpUtil.isKeepAlive(request), (int) HttpUtil.getContentLength(request, 0L));
                return true;
            }
            // Content without a request: Armeria's decoder answers that.
            ctx.fireChannelRead(msg);
            return true;
        }

        /** The chain if {@code request} is one this path answers, else null. */
        private Chain fast(HttpRequest request) {
            if (!HttpMethod.POST.equals(request.method()) || !HttpVersion.HTTP_1_1.equals(request.protocolVersion())
                    || !request.decoderResult().isSuccess()) {
                return null;
            }
            String uri = request.uri();
            if (!uri.startsWith(PREFIX)) {
                return null;
            }
            Chain chain = chains.get(uri.substring(PREFIX.length()));
            if (chain == null) {
                return null;
            }
            HttpHeaders headers = request.headers();
            if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING) || headers.contains(HttpHeaderNames.EXPECT)
                    || headers.contains(HttpHeaderNames.UPGRADE) || headers.contains(HttpHeaderNames.ORIGIN)) {
                return null;
            }
            List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
            if (lengths.size() != 1 || !digits(lengths.get(0)) || lengths.get(0).length() > 10
                    || Long.parseLong(lengths.get(0)) > maxRequestBytes) {
                return null;
            }
            List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
            if (hosts.size() != 1 || isSiteHost(hosts.get(0))) {
                return null;
            }
            return chain;
        }

        private void read(ChannelHandlerContext ctx, HttpObject msg) {
            Call call = reading;
            if (!(msg instanceof HttpContent content)) {
                // A new request before the body ended cannot come from the decoder.
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            try {
                if (!content.decoderResult().isSuccess()) {
                    ctx.close();
                    return;
                }
                ByteBuf data = content.content();
                int n = Math.min(data.readableBytes(), call.body.length - call.filled);
                data.getBytes(data.readerIndex(), call.body, call.filled, n);
                call.filled += n;
            } finally {
                content.release();
            }
            if (msg instanceof LastHttpContent) {
                reading = null;
                answer(ctx, call);
            }
        }

        private void answer(ChannelHandlerContext ctx, Call call) {
            answering = true;
            CompletableFuture<RpcService.Reply> reply = rpc.reply(call.chain, call.body);
            RpcService.Reply ready = reply.getNow(null);
            if (ready != null) {
                write(ctx, ready, call.keepAlive);
                return;
            }
            reply.thenAccept(r -> {
                if (ctx.executor().inEventLoop()) {
                    write(ctx, r, call.keepAlive);
                } else {
                    ctx.executor().execute(() -> write(ctx, r, call.keepAlive));
                }
            });
        }

        private void write(ChannelHandlerContext ctx, RpcService.Reply reply, boolean keepAlive) {
            answering = false;
            lastFast = System.nanoTime();
            if (!ctx.channel().isActive()) {
                return;
            }
            boolean close = !keepAlive || stopping;
            HttpHeaders headers = new DefaultHttpHeaders(false);
            ByteBuf body = Unpooled.EMPTY_BUFFER;
            if (reply.body() != null) {
                body = Unpooled.wrappedBuffer(reply.body());
                headers.add(HttpHeaderNames.CONTENT_TYPE, JSON);
                headers.add(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
                reply.outlastHeaders(headers::add);
            }
            headers.add(HttpHeaderNames.DATE, HttpDate.now());
            if (close) {
                headers.add(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(reply.status().code()), body, headers, EmptyHttpHeaders.INSTANCE);
            answered.increment();
            if (close) {
                closing = true;
                releaseQueued();
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.writeAndFlush(response);
            drain(ctx);
        }

        /** Handles what waited, in order, until something has to wait again. */
        private void drain(ChannelHandlerContext ctx) {
            while (!answering && !closing && !queued.isEmpty()) {
                // taken off first: handling it may answer a call, which drains again from here
                Object next = queued.poll();
                int size = next instanceof HttpContent content ? content.content().readableBytes() : 0;
                if (!dispatch(ctx, next)) {
                    queued.addFirst(next);
                    break;
                }
                queuedBytes -= size;
            }
            if (queued.isEmpty()) {
                queuedBytes = 0;
                if (paused) {
                    paused = false;
                    ctx.channel().config().setAutoRead(true);
                }
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            // the end of an answer; a 100 Continue is a whole message that answers nothing yet
            boolean ends = msg instanceof LastHttpContent && !(msg instanceof HttpResponse response
                    && response.status().codeClass() == HttpStatusClass.INFORMATIONAL);
            if (msg instanceof HttpObject) {
                lastArmeria = System.nanoTime();
            }
            ctx.write(msg, promise);
            if (ends && armeriaOpen > 0 && --armeriaOpen == 0 && !queued.isEmpty()) {
                ctx.executor().execute(() -> drain(ctx));
            }
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            long now = System.nanoTime();
            if (!stopping && !closing && !upgraded && armeriaOpen == 0 && !passing
                    && now - lastArmeria >= idleNanos - TimeUnit.MILLISECONDS.toNanos(50)
                    && (answering || reading != null || now - lastFast < idleNanos)) {
                // Armeria's idle timer, which saw none of the calls answered here: the connection is
                // in use. It stays open and is watched here from now on.
                ctx.channel().closeFuture().addListener(f -> promise.trySuccess());
                watchIdle(ctx, idleNanos - (now - lastFast));
                return;
            }
            ctx.close(promise);
        }

        private void watchIdle(ChannelHandlerContext ctx, long delayNanos) {
            if (idleCheck != null) {
                return;
            }
            idleCheck = ctx.executor().schedule(() -> {
                idleCheck = null;
                long now = System.nanoTime();
                long idle = now - Math.max(lastFast, lastArmeria);
                if (answering || reading != null || armeriaOpen > 0 || passing || idle < idleNanos) {
                    watchIdle(ctx, idleNanos - idle);
                } else {
                    ctx.close();
                }
            }, Math.max(delayNanos, TimeUnit.MILLISECONDS.toNanos(10)), TimeUnit.NANOSECONDS);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (idleCheck != null) {
                idleCheck.cancel(false);
                idleCheck = null;
            }
            releaseQueued();
            reading = null;
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            releaseQueued();
        }

        private void releaseQueued() {
            Object m;
            while ((m = queued.poll()) != null) {
                ReferenceCountUtil.release(m);
            }
            queuedBytes = 0;
        }
    }

    private boolean isSiteHost(String host) {
        if (siteHosts.isEmpty()) {
            return false;
        }
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            return false;
        }
        int colon = name.lastIndexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        return siteHosts.contains(name) || name.endsWith(".") && siteHosts.contains(name.substring(0, name.length() - 1));
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The {@code Date} header value, made once per second. */
    private static final class HttpDate {

        private static volatile Stamp stamp = new Stamp(-1, "");

        private record Stamp(long second, String text) {
        }

        static String now() {
            long second = System.currentTimeMillis() / 1000;
            Stamp s = stamp;
            if (s.second != second) {
                s = new Stamp(second, DateFormatter.format(new Date(second * 1000)));
                stamp = s;
            }
            return s.text;
        }
    }
}
