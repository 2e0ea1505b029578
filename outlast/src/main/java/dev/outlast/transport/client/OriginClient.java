package dev.outlast.transport.client;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.outlast.transport.HopByHop;
import dev.outlast.transport.OutlastHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/**
 * Requests without a body (GET, HEAD, DELETE and the like: most of a site's traffic) to one origin
 * over HTTP/1.1, plain or TLS, on Netty directly; the response is streamed back as an Armeria
 * {@link HttpResponse}, so the site's proxying handles it as any other.
 *
 * <p>Why not Armeria's client: a site request paid its request context, log and pool machinery for
 * an exchange that needs none of it, as an upstream call did before {@link Http1Client}
 * (docs/benchmarks.md). Requests with a body keep Armeria's client (the site streams them with
 * backpressure and replays them on failover), as do health checks and WebSockets. What the proxy
 * sends (its forwarded headers) is the caller's: this client sends the headers it is given.
 *
 * <p>Connections as for {@link Http1Client} ({@link Http1Connections}: kept per event loop,
 * one request in flight on each, the request on the client request's own loop), at most
 * {@link #MAX_CONNECTIONS_PER_LOOP} per loop and origin; further requests wait for one within their
 * response timeout.
 *
 * <p>How an attempt ends, as a {@link CallFailure} (the same words as {@link ArmeriaFailures} gives
 * Armeria's client): no connection (refused, unresolvable, TLS handshake, connect timeout) is
 * {@link dev.outlast.transport.FailureKind#CONNECT}, and the origin provably never received the
 * request; no response headers within the response timeout,
 * {@link dev.outlast.transport.FailureKind#TIMEOUT}; a connection closed or a malformed response
 * before the headers, {@link dev.outlast.transport.FailureKind#RESET}. Once the headers are in the
 * body has no deadline; it is read only as fast as the client takes it (reading pauses while a chunk
 * waits to be consumed). A connection closed before the whole body fails the response's stream (a
 * {@code RESET} too); aborting the response (the client went away) closes its connection. A {@code GET},
 * {@code HEAD} or {@code OPTIONS} that got nothing back on a reused connection is sent again on
 * another (the keep-alive race), within its response timeout.
 *
 * <p>Thread-safe.
 */
public final class OriginClient implements AutoCloseable {

    /** As {@link Http1Client}: enough for a burst, not thousands of connections to an origin. */
    static final int MAX_CONNECTIONS_PER_LOOP = 128;

    /** Request header names and values come from Armeria's headers, already validated when they were received. */
    private static final DefaultHttpHeadersFactory TRUSTED_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    /** Methods sent again after the keep-alive race ({@link Exchange#retriedStale}). */
    private static final java.util.Set<com.linecorp.armeria.common.HttpMethod> SAFE = java.util.EnumSet.of(
            com.linecorp.armeria.common.HttpMethod.GET, com.linecorp.armeria.common.HttpMethod.HEAD,
            com.linecorp.armeria.common.HttpMethod.OPTIONS);

    private final Http1Connections connections;

    /** A client for {@code url} (http or https, no user info) on {@code factory}'s event loops. */
    public OriginClient(URI url, ClientFactory factory) {
        this(url, factory, null);
    }

    /** With {@code trust} instead of the JDK's default trust store for TLS (tests). */
    public OriginClient(URI url, ClientFactory factory, TrustManagerFactory trust) {
        this.connections = new Http1Connections(url, factory, trust, MAX_CONNECTIONS_PER_LOOP, 0);
    }

    /** Whether requests to {@code url} can go through this client (credentials in the URL cannot). */
    public static boolean supports(URI url) {
        return url.getRawUserInfo() == null;
    }

    /**
     * Sends {@code headers} ({@code :method}, {@code :path}, {@code :authority} and the rest) with no
     * body; the response's headers must come within {@code responseTimeout}.
     */
    public HttpResponse execute(RequestHeaders headers, Duration responseTimeout) {
        return execute(headers, responseTimeout, null);
    }

    /**
     * As {@link #execute(RequestHeaders, Duration)}, with the response's headers as a proxy passes
     * them on when {@code upstream} is not null: without hop-by-hop fields ({@link HopByHop}) and
     * with {@code X-Outlast-Upstream: upstream}, made in the one pass that reads them.
     */
    public HttpResponse execute(RequestHeaders headers, Duration responseTimeout, String upstream) {
        HttpHeaders out = newRequestHeaders();
        if (headers.authority() != null) {
            out.add(io.netty.handler.codec.http.HttpHeaderNames.HOST, headers.authority());
        }
        headers.forEach((name, value) -> {
            if (name.byteAt(0) != ':') {
                out.add(name, value);
            }
        });
        return execute(headers.method(), headers.path(), out, responseTimeout, upstream);
    }

    /**
     * Empty request headers to fill for {@link #execute(com.linecorp.armeria.common.HttpMethod, String,
     * HttpHeaders, Duration, String)}: names and values are not validated again, so they must come
     * from headers that were (Armeria's, or constants).
     */
    public static HttpHeaders newRequestHeaders() {
        return TRUSTED_HEADERS.newHeaders();
    }

    /**
     * As {@link #execute(RequestHeaders, Duration, String)} for a request whose HTTP/1.1 header
     * fields were written already ({@code Host} first, no pseudo-headers, from
     * {@link #newRequestHeaders()}): a proxy writes them as it rewrites the client's, one copy.
     *
     * @param path the path and query to ask the origin for
     */
    public HttpResponse execute(com.linecorp.armeria.common.HttpMethod method, String path, HttpHeaders headers,
                                Duration responseTimeout, String upstream) {
        HttpResponseWriter writer = HttpResponse.streaming();
        EventLoop loop = connections.loop();
        Exchange exchange = new Exchange(loop, method, path, headers, writer, upstream);
        if (loop.inEventLoop()) {
            exchange.start(responseTimeout);
        } else if (!Http1Connections.run(loop, () -> exchange.start(responseTimeout))) {
            writer.close(CallFailure.notConnected(new ConnectException("the event loops are shut down")));
            return writer;
        }
        writer.whenComplete().handle((v, e) -> {
            if (e != null) {
                Http1Connections.run(loop, exchange::abort);
            }
            return null;
        });
        return writer;
    }

    /** Closes idle connections now and the others when their exchange ends; later requests fail. */
    @Override
    public void close() {
        connections.close();
    }

    /** One request and its response; everything but its creation runs on its loop. */
    private final class Exchange extends Http1Exchange {
        private final com.linecorp.armeria.common.HttpMethod method;
        private final String path;
        private final HttpHeaders headers;
        private final HttpResponseWriter writer;
        private final String upstream;
        private ScheduledFuture<?> timer;
        private Duration responseTimeout;
        /** The response's headers were written: from here on a failure ends the body, not the attempt. */
        private boolean answered;
        private boolean ended;
        private boolean keepAlive;
        /** The current response is a 1xx (other than 101): skipped up to its end. */
        private boolean informational;

        Exchange(EventLoop loop, com.linecorp.armeria.common.HttpMethod method, String path, HttpHeaders headers,
                 HttpResponseWriter writer, String upstream) {
            super(loop);
            this.method = method;
            this.path = path;
            this.headers = headers;
            this.writer = writer;
            this.upstream = upstream;
        }

        void start(Duration responseTimeout) {
            if (!writer.isOpen()) {
                return;
            }
            this.responseTimeout = responseTimeout;
            timer = loop.schedule(this::timedOut, responseTimeout.toNanos(), TimeUnit.NANOSECONDS);
            connections.acquire(this);
        }

        private void timedOut() {
            if (!answered && !ended) {
                end(CallFailure.noResponseHeaders(responseTimeout));
                cancel();
            }
        }

        /** The client went away (or the caller gave up on the response): its connection is closed. */
        void abort() {
            ended = true;
            if (timer != null) {
                timer.cancel(false);
            }
            cancel();
        }

        @Override
        protected boolean ended() {
            return ended;
        }

        @Override
        protected void notConnected(Throwable cause) {
            end(CallFailure.notConnected(cause));
        }

        @Override
        protected void send(PooledConnection connection) {
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                    HttpMethod.valueOf(method.name()), path, Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
            connection.channel().writeAndFlush(request).addListener(f -> {
                if (!f.isSuccess() && !ended) {
                    connection.abandon();
                    end(CallFailure.reset("cannot send the request: " + Http1Connections.describe(f.cause())));
                }
            });
        }

        @Override
        protected void read(PooledConnection connection, Object msg) {
            if (msg instanceof io.netty.handler.codec.http.HttpResponse response) {
                if (response.decoderResult().isFailure()) {
                    connection.abandon();
                    end(CallFailure.reset("malformed HTTP response: "
                            + Http1Connections.describe(response.decoderResult().cause())));
                    return;
                }
                informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL
                                && response.status().code() != 101;
                if (!informational) {
                    keepAlive = HttpUtil.isKeepAlive(response);
                    headers(response);
                }
            }
            if (msg instanceof HttpContent content) {
                if (content.decoderResult().isFailure()) {
                    connection.abandon();
                    end(CallFailure.reset("malformed HTTP response body: "
                            + Http1Connections.describe(content.decoderResult().cause())));
                    return;
                }
                if (informational) {
                    informational = !(content instanceof LastHttpContent);
                    return;
                }
                if (!body(content.content())) {
                    connection.abandon();
                    end(CallFailure.reset("the response was aborted"));
                    return;
                }
                Channel channel = connection.channel();
                if (content instanceof LastHttpContent last) {
                    // reading may be paused for a body the client has not taken yet: a connection
                    // going back to the pool must read, or it would not notice the origin closing it
                    channel.config().setAutoRead(true);
                    // before the response ends, so a request made on its end finds the connection idle
                    connection.done(keepAlive);
                    trailers(last.trailingHeaders());
                } else if (channel.config().isAutoRead()) {
                    // backpressure: read no more from the origin until the client has taken this
                    channel.config().setAutoRead(false);
                    writer.whenConsumed().thenRun(() -> channel.config().setAutoRead(true));
                }
            }
        }

        @Override
        protected void failed(Throwable cause) {
            if (!retriedStale()) {
                end(CallFailure.reset(Http1Connections.describe(cause)));
            }
        }

        @Override
        protected void closed() {
            if (!retriedStale()) {
                end(CallFailure.reset(answered ? "connection closed before the whole response body"
                                               : "connection closed before the response headers"));
            }
        }

        /**
         * The keep-alive race: an origin may close a connection it kept idle just as a request goes
         * out on it (Node.js servers close theirs after 5 s). A safe request that got nothing back on
         * a reused connection is sent again on another, as browsers and Go's client do; without it a
         * site with one origin answered such a request 502.
         */
        private boolean retriedStale() {
            if (answered || ended || !onReusedConnection() || !SAFE.contains(method)) {
                return false;
            }
            connections.acquire(this);
            return true;
        }

        private void headers(io.netty.handler.codec.http.HttpResponse response) {
            answered = true;
            if (timer != null) {
                timer.cancel(false);
            }
            HttpHeaders in = response.headers();
            ResponseHeadersBuilder out = ResponseHeaders.builder(response.status().code());
            java.util.Set<String> named = upstream == null ? null
                    : HopByHop.connectionNamed(in.getAll(io.netty.handler.codec.http.HttpHeaderNames.CONNECTION));
            for (java.util.Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence();
                 it.hasNext();) {
                Map.Entry<CharSequence, CharSequence> h = it.next();
                io.netty.util.AsciiString name = HttpHeaderNames.of(h.getKey());
                if (named == null || !HopByHop.is(name, named)) {
                    out.add(name, h.getValue().toString());
                }
            }
            if (upstream != null) {
                out.set(OutlastHeaders.UPSTREAM, upstream);
            }
            writer.tryWrite(out.build());
        }

        /** Writes a chunk; false when the response was aborted meanwhile. */
        private boolean body(ByteBuf content) {
            if (content.isReadable()) {
                byte[] bytes = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), bytes);
                return writer.tryWrite(HttpData.wrap(bytes));
            }
            return writer.isOpen();
        }

        private void trailers(io.netty.handler.codec.http.HttpHeaders trailers) {
            if (!trailers.isEmpty()) {
                com.linecorp.armeria.common.HttpHeadersBuilder out = com.linecorp.armeria.common.HttpHeaders.builder();
                for (Map.Entry<String, String> h : trailers) {
                    out.add(HttpHeaderNames.of(h.getKey()), h.getValue());
                }
                writer.tryWrite(out.build());
            }
            ended = true;
            writer.close();
        }

        /** Ends the response with {@code cause} (before its headers: the attempt failed; after: a cut body). */
        private void end(CallFailure cause) {
            if (timer != null) {
                timer.cancel(false);
            }
            if (!ended) {
                ended = true;
                writer.close(cause);
            }
        }
    }
}
