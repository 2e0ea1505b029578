package dev.outlast.server;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.RequestTarget;
import com.linecorp.armeria.common.RequestTargetForm;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.outlast.routing.Chain;
import dev.outlast.site.Site;
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
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
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
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two requests a gateway serves most, answered over HTTP/1.1 right behind the HTTP/1 decoder,
 * without Armeria's per-request machinery (request context, log, routing, response conversion):
 * JSON-RPC calls and a site's {@code GET}s. Both cost mostly that machinery, since an answer from a
 * cache or a pass-through does little else (docs/benchmarks.md).
 *
 * <p>Armeria still owns the listener, the connections and every other request. On each client
 * connection a handler is placed right after Armeria's HTTP/1 decoder. It answers a request itself
 * only when it is plainly one of the two, over HTTP/1.1 with exactly one {@code Host} and no
 * {@code Transfer-Encoding}, {@code Expect} or {@code Upgrade}:
 * <ul>
 *   <li>a JSON-RPC call: {@code POST /rpc/<a chain>}, a single {@code Content-Length} within
 *       {@code server.maxRequestBytes}, no {@code Origin} (CORS), a {@code Host} that is not a
 *       site's. The body is answered by {@link RpcService#reply}, as behind Armeria;</li>
 *   <li>a site's request without a body: {@code GET} or {@code HEAD} on a site's host (exactly, any
 *       port), no {@code Content-Length}, at most one {@code Cookie}, and a path Armeria's server
 *       accepts ({@link RequestTarget#forServer}, normalised the same way). It is served by
 *       {@link Site#serve(RequestHeaders, io.netty.util.concurrent.EventExecutor,
 *       java.net.InetSocketAddress, boolean)}: the same proxying, cache and failover, whose
 *       response is written here, streamed with backpressure (reading from the origin follows the
 *       client's pace), with its {@code Content-Length} or else chunked.</li>
 * </ul>
 * Anything else (other methods and hosts, the status page, a browser's CORS call, a body that is
 * chunked or oversized, a WebSocket, an HTTP/2 connection, a malformed request) goes on to Armeria
 * untouched, which answers it as it always has.
 *
 * <p>Answers leave in request order: a request waits while an earlier one, of either kind, is being
 * answered. Armeria's idle timer only sees Armeria's own requests; when it would close a connection
 * that carried calls answered here within {@code server.idleTimeout}, the connection stays open and
 * this handler closes it once it is idle by both measures. Between {@link #stopping()} and the
 * server's stop each answer here carries {@code Connection: close}. {@code server.fastPath: false}
 * leaves every request to Armeria.
 *
 * <p>It leans on two facts about Armeria 1.33's HTTP/1 pipeline, both covered by
 * {@code FastPathTest}: its decoder is the class named {@value #ARMERIA_CODEC} (if it is not
 * found the path stays off, with a warning), and its idle timer closes a connection through the
 * pipeline. A chain's deadline bounds every call answered here, as it does behind Armeria.
 *
 * <p>Thread-safe to share; each connection's handler runs on that connection's event loop.
 */
final class FastPath {

    private static final Logger log = LoggerFactory.getLogger(FastPath.class);
    /** Armeria's HTTP/1 codec (package-private), after which requests arrive as Netty HTTP objects. */
    private static final String ARMERIA_CODEC = "com.linecorp.armeria.server.HttpServerCodec";
    private static final String PREFIX = "/rpc/";
    /** How much of a pipelined client's input may wait before reading pauses. */
    private static final int MAX_QUEUED_BYTES = 256 * 1024;
    /** How much of a site's response body may wait to be written to a client's socket. */
    private static final int MAX_UNWRITTEN = 64 * 1024;
    private static final AsciiString JSON = AsciiString.cached("application/json; charset=utf-8");
    /** Response headers written here come from Armeria's (already validated) or from Outlast itself. */
    private static final DefaultHttpHeadersFactory TRUSTED_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private final RpcService rpc;
    private final Map<String, Chain> chains;
    /** The sites by host name, lower case. */
    private final Map<String, Site> sites;
    private final long maxRequestBytes;
    private final long idleNanos;
    private final LongAdder answered = new LongAdder();
    private volatile boolean stopping;
    private volatile boolean warned;

    /**
     * @param sites the sites by host name: every request for such a host is the site's
     */
    FastPath(RpcService rpc, Map<String, Site> sites, long maxRequestBytes, Duration idleTimeout) {
        this.rpc = rpc;
        this.chains = rpc.chains();
        Map<String, Site> byHost = new HashMap<>();
        sites.forEach((host, site) -> byHost.put(host.toLowerCase(Locale.ROOT), site));
        this.sites = Map.copyOf(byHost);
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

    /** A fast request whose body is being read: a JSON-RPC call (chain) or a site's request (site). */
    private static final class Call {
        private static final byte[] NO_BODY = new byte[0];

        final Chain chain;
        final Site site;
        final RequestHeaders headers;
        final boolean keepAlive;
        final byte[] body;
        int filled;

        private Call(Chain chain, Site site, RequestHeaders headers, boolean keepAlive, int length) {
            this.chain = chain;
            this.site = site;
            this.headers = headers;
            this.keepAlive = keepAlive;
            this.body = length == 0 ? NO_BODY : new byte[length];
        }

        static Call rpc(Chain chain, boolean keepAlive, int length) {
            return new Call(chain, null, null, keepAlive, length);
        }

        static Call site(Site site, RequestHeaders headers, boolean keepAlive) {
            return new Call(null, site, headers, keepAlive, 0);
        }

        boolean head() {
            return headers != null && headers.method() == com.linecorp.armeria.common.HttpMethod.HEAD;
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
        /** The site's response being written, if any. */
        private SiteAnswer site;
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
        /** The client (loop, address, whether it came over TLS) for a site's forwarded headers. */
        private dev.outlast.site.Client client;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            client = new dev.outlast.site.Client(ctx.executor(),
                    ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null,
                    ctx.pipeline().get(SslHandler.class) != null);
        }

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
                Call call = fast(request);
                if (call == null) {
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
                reading = call;
                if (msg instanceof HttpContent) {
                    read(ctx, (HttpContent) msg);
                }
                return true;
            }
            // Content without a request: Armeria's decoder answers that.
            ctx.fireChannelRead(msg);
            return true;
        }

        /** The call if {@code request} is one this path answers, else null. */
        private Call fast(HttpRequest request) {
            if (!HttpVersion.HTTP_1_1.equals(request.protocolVersion()) || !request.decoderResult().isSuccess()) {
                return null;
            }
            HttpHeaders headers = request.headers();
            if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING) || headers.contains(HttpHeaderNames.EXPECT)
                    || headers.contains(HttpHeaderNames.UPGRADE)) {
                return null;
            }
            List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
            if (hosts.size() != 1) {
                return null;
            }
            HttpMethod method = request.method();
            if (HttpMethod.POST.equals(method)) {
                return rpcCall(request, hosts.get(0));
            }
            if (!sites.isEmpty() && (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))) {
                return siteCall(request, hosts.get(0));
            }
            return null;
        }

        private Call rpcCall(HttpRequest request, String host) {
            String uri = request.uri();
            if (!uri.startsWith(PREFIX)) {
                return null;
            }
            Chain chain = chains.get(uri.substring(PREFIX.length()));
            if (chain == null) {
                return null;
            }
            HttpHeaders headers = request.headers();
            if (headers.contains(HttpHeaderNames.ORIGIN)) {
                return null;
            }
            List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
            if (lengths.size() != 1 || !digits(lengths.get(0)) || lengths.get(0).length() > 10
                    || Long.parseLong(lengths.get(0)) > maxRequestBytes) {
                return null;
            }
            if (isSiteHost(host)) {
                return null;
            }
            return Call.rpc(chain, HttpUtil.isKeepAlive(request), Integer.parseInt(lengths.get(0)));
        }

        /**
         * A site's {@code GET} or {@code HEAD} without a body, with the headers Armeria's server
         * would have made of it, or null when Armeria should have it.
         */
        private Call siteCall(HttpRequest request, String host) {
            Site site = siteOf(host);
            String uri = request.uri();
            HttpHeaders headers = request.headers();
            if (site == null || uri.isEmpty() || uri.charAt(0) != '/' || headers.contains(HttpHeaderNames.CONTENT_LENGTH)
                    || headers.getAll(HttpHeaderNames.COOKIE).size() > 1) {
                return null;
            }
            RequestTarget target = RequestTarget.forServer(uri);
            if (target == null || target.form() != RequestTargetForm.ORIGIN) {
                return null;
            }
            RequestHeadersBuilder out = RequestHeaders.builder(
                    HttpMethod.GET.equals(request.method()) ? com.linecorp.armeria.common.HttpMethod.GET
                                                            : com.linecorp.armeria.common.HttpMethod.HEAD,
                    target.toString());
            try {
                for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext();) {
                    Map.Entry<CharSequence, CharSequence> h = it.next();
                    out.add(com.linecorp.armeria.common.HttpHeaderNames.of(h.getKey()), h.getValue().toString());
                }
                return Call.site(site, out.build(), HttpUtil.isKeepAlive(request));
            } catch (IllegalArgumentException e) {
                // a header Armeria would refuse: it answers that itself
                return null;
            }
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
            if (call.site != null) {
                SiteAnswer answer = new SiteAnswer(ctx, call);
                site = answer;
                CompletableFuture<com.linecorp.armeria.common.HttpResponse> response = call.site.serve(call.headers,
                        client);
                com.linecorp.armeria.common.HttpResponse ready = response.getNow(null);
                if (ready != null) {
                    ready.subscribe(answer, ctx.executor());
                } else {
                    // completed on this connection's loop, where the call runs
                    response.thenAccept(r -> r.subscribe(answer, ctx.executor()));
                }
                return;
            }
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
            HttpHeaders headers = TRUSTED_HEADERS.newHeaders();
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
            end(ctx, response, close);
        }

        /** Writes the end of an answer, then closes the connection or goes on with what waited. */
        private void end(ChannelHandlerContext ctx, Object last, boolean close) {
            answered.increment();
            if (close) {
                closing = true;
                releaseQueued();
                ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.writeAndFlush(last);
            drain(ctx);
        }

        /**
         * Writes a site's response to the client as it comes, one object at a time: the next is
         * asked for while less than {@link #MAX_UNWRITTEN} bytes of body wait to reach the socket,
         * so a slow client slows the reading from the origin instead of filling memory (Armeria
         * turns Netty's write watermarks off, so this counts itself, as Armeria's own response
         * writer does). Runs on the connection's event loop.
         */
        private final class SiteAnswer implements Subscriber<com.linecorp.armeria.common.HttpObject> {
            private final ChannelHandlerContext ctx;
            private final Call call;
            private final boolean close;
            private Subscription subscription;
            /** The response's headers came (later ones, and 1xx, are skipped). */
            private boolean headersSeen;
            /** Something of the response was written to the connection. */
            private boolean headersSent;
            /**
             * The head of a response declaring a small length, held back with its body
             * ({@link #heldBody}) so the whole answer goes out as one message when the stream ends.
             */
            private HttpResponse held;
            private long heldLength;
            private HttpData heldBody;
            private boolean chunked;
            private com.linecorp.armeria.common.HttpHeaders trailers;
            private boolean ended;
            private int pulling;
            private boolean unflushed;
            /** Body bytes written but not yet handed to the socket. */
            private long unwritten;
            private boolean waitingWritten;

            SiteAnswer(ChannelHandlerContext ctx, Call call) {
                this.ctx = ctx;
                this.call = call;
                this.close = !call.keepAlive || stopping;
            }

            @Override
            public void onSubscribe(Subscription s) {
                subscription = s;
                if (ended) {
                    s.cancel();
                } else {
                    pull();
                }
            }

            /** Asks for the next object; what was written meanwhile is flushed unless more came at once. */
            private void pull() {
                pulling++;
                subscription.request(1);
                pulling--;
                if (pulling == 0 && !ended && unflushed) {
                    unflushed = false;
                    ctx.flush();
                }
            }

            @Override
            public void onNext(com.linecorp.armeria.common.HttpObject obj) {
                if (ended) {
                    return;
                }
                if (obj instanceof ResponseHeaders h) {
                    if (headersSeen || h.status().isInformational()) {
                        pull();
                        return;
                    }
                    headersSeen = true;
                    HttpResponse head = head(h);
                    long length = h.contentLength();
                    if (!chunked && !call.head() && length >= 0 && length <= MAX_UNWRITTEN) {
                        // most answers: headers and body leave as one message, one write
                        held = head;
                        heldLength = length;
                    } else {
                        headersSent = true;
                        ctx.write(head);
                    }
                } else if (obj instanceof HttpData data) {
                    if (!data.isEmpty() && headersSeen && !call.head()) {
                        if (held != null && heldBody == null && data.length() == heldLength) {
                            heldBody = data;
                            pull();
                            return;
                        }
                        writeHeld();
                        int n = data.length();
                        unwritten += n;
                        ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(data.array()))).addListener(f -> {
                            unwritten -= n;
                            if (waitingWritten && unwritten < MAX_UNWRITTEN && !ended) {
                                waitingWritten = false;
                                pull();
                            }
                        });
                    }
                } else if (obj instanceof com.linecorp.armeria.common.HttpHeaders t) {
                    trailers = t;
                }
                unflushed = true;
                if (unwritten < MAX_UNWRITTEN) {
                    pull();
                } else {
                    waitingWritten = true;
                    unflushed = false;
                    ctx.flush();
                }
            }

            @Override
            public void onComplete() {
                if (ended) {
                    return;
                }
                if (!headersSeen) {
                    onError(new IllegalStateException("the response ended before its headers"));
                    return;
                }
                if (held != null && (heldBody != null || heldLength == 0)) {
                    ByteBuf body = heldBody == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(heldBody.array());
                    DefaultFullHttpResponse whole = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, held.status(),
                            body, held.headers(), EmptyHttpHeaders.INSTANCE);
                    held = null;
                    heldBody = null;
                    headersSent = true;
                    finish(whole);
                    return;
                }
                writeHeld();
                LastHttpContent last = LastHttpContent.EMPTY_LAST_CONTENT;
                if (chunked && trailers != null && !trailers.isEmpty()) {
                    last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, TRUSTED_HEADERS.newHeaders());
                    HttpHeaders out = last.trailingHeaders();
                    trailers.forEach((name, value) -> out.add(name, value));
                }
                finish(last);
            }

            @Override
            public void onError(Throwable cause) {
                if (ended) {
                    return;
                }
                if (headersSent) {
                    // the body broke off: the client must see it end short, so the connection goes
                    ended = true;
                    site = null;
                    answering = false;
                    closing = true;
                    releaseQueued();
                    ctx.flush();
                    ctx.close();
                    return;
                }
                log.debug("site {}: the response failed before any of it was written", call.site.id(), cause);
                held = null;
                heldBody = null;
                headersSeen = true;
                headersSent = true;
                byte[] body = ("{\"error\":{\"reason\":\"response_failed\",\"message\":\"The origin's response "
                               + "could not be completed\",\"site\":\"" + call.site.id() + "\"}}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                HttpHeaders headers = TRUSTED_HEADERS.newHeaders();
                headers.add(HttpHeaderNames.CONTENT_TYPE, JSON);
                headers.add(HttpHeaderNames.CONTENT_LENGTH, body.length);
                headers.add("x-outlast-upstream", "outlast");
                headers.add(HttpHeaderNames.DATE, HttpDate.now());
                if (close) {
                    headers.add(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY, headers));
                finish(new DefaultLastHttpContent(Unpooled.wrappedBuffer(body)));
            }

            /** Writes the held head (and body) as separate messages: the answer is not the small whole one it declared. */
            private void writeHeld() {
                if (held == null) {
                    return;
                }
                headersSent = true;
                ctx.write(held);
                held = null;
                if (heldBody != null) {
                    ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(heldBody.array())));
                    heldBody = null;
                }
            }

            /** The client went away: the response is not wanted any more. */
            void cancel() {
                ended = true;
                if (subscription != null) {
                    subscription.cancel();
                }
            }

            private HttpResponse head(ResponseHeaders h) {
                int code = h.status().code();
                HttpResponseStatus status = HttpResponseStatus.valueOf(code);
                if (!status.reasonPhrase().equals(h.status().reasonPhrase())) {
                    status = new HttpResponseStatus(code, h.status().reasonPhrase());
                }
                HttpHeaders out = TRUSTED_HEADERS.newHeaders();
                h.forEach((name, value) -> {
                    if (name.byteAt(0) != ':') {
                        out.add(name, value);
                    }
                });
                boolean bodyless = call.head() || code == 204 || code == 304;
                if (!bodyless && !out.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                    out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                    chunked = true;
                }
                if (!out.contains(HttpHeaderNames.DATE)) {
                    out.add(HttpHeaderNames.DATE, HttpDate.now());
                }
                if (close) {
                    out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                return new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, out);
            }

            /** Ends the answer with {@code last}: its last content, or the whole response in one message. */
            private void finish(Object last) {
                ended = true;
                site = null;
                answering = false;
                lastFast = System.nanoTime();
                end(ctx, last, close);
            }
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
            if (site != null) {
                site.cancel();
                site = null;
                answering = false;
            }
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

    /** Whether {@code host} (a {@code Host} header) is a site's, with or without a trailing dot. */
    private boolean isSiteHost(String host) {
        if (sites.isEmpty()) {
            return false;
        }
        String name = hostName(host);
        return name != null && (sites.containsKey(name)
                                || name.endsWith(".") && sites.containsKey(name.substring(0, name.length() - 1)));
    }

    /** The site whose host {@code host} (a {@code Host} header) is exactly, any port, or null. */
    private Site siteOf(String host) {
        String name = hostName(host);
        return name == null ? null : sites.get(name);
    }

    /** The host name of a {@code Host} header, lower case and without its port; null for an IPv6 literal. */
    private static String hostName(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            return null;
        }
        int colon = name.lastIndexOf(':');
        return colon >= 0 ? name.substring(0, colon) : name;
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
