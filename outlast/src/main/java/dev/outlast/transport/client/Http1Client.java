package dev.outlast.transport.client;

import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.transport.FailureKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/**
 * JSON POSTs to one provider endpoint over HTTP/1.1 (plain or TLS), on Netty directly.
 *
 * <p>An upstream call is the costliest part of an RPC pass-through, and a general-purpose client
 * spends most of it on its own machinery (request contexts, response streams, logs) rather than on
 * the exchange itself (docs/benchmarks.md compares the two). This one does what a JSON-RPC call needs
 * and nothing else: a POST on the connections of {@link Http1Connections} (kept per event loop, one
 * call in flight on each, the call on the loop of the request it serves), the answer read whole (at
 * most {@link #MAX_RESPONSE_BYTES}) before it is handed over.
 *
 * <p>A call completes with a {@link Reply} for any HTTP answer, or exceptionally with a
 * {@link CallFailure} that says what kind of failure it was: {@link FailureKind#CONNECT} when no
 * connection could be made (refused, unresolvable name, TLS handshake, connect timeout: the
 * provider never received the call),
 * {@link FailureKind#TIMEOUT} when no whole answer came within the call's timeout,
 * {@link FailureKind#RESET} when the connection failed or closed before the answer was whole.
 * Cancelling the returned future closes the call's connection.
 *
 * <p>Thread-safe. Never blocks the caller: a host name is resolved on Armeria's blocking pool, once
 * per new connection.
 */
public final class Http1Client implements AutoCloseable {

    /** The largest answer read; a larger one fails the call. */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    /**
     * The most connections one event loop keeps to one upstream (a few loops per machine: some
     * hundreds in all); further calls wait for one of them, within their timeout, rather than open
     * thousands of connections to a provider in a burst.
     */
    static final int MAX_CONNECTIONS_PER_LOOP = 128;

    private static final AsciiString JSON_UTF_8 = AsciiString.cached("application/json; charset=utf-8");
    private static final AsciiString USER_AGENT = AsciiString.cached("outlast");
    /** The request's headers are this class's constants and a host and credentials from a parsed URI. */
    private static final DefaultHttpHeadersFactory TRUSTED_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private final Http1Connections connections;
    private final AsciiString hostHeader;
    private final String path;
    private final AsciiString authorization;
    private final int maxResponseBytes;

    /** What the provider answered, its body whole. */
    public record Reply(int status, HttpHeaders headers, byte[] body) {
    }

    /** A client for {@code url} (http or https) on {@code factory}'s event loops. */
    public Http1Client(URI url, ClientFactory factory) {
        this(url, factory, null, MAX_RESPONSE_BYTES, MAX_CONNECTIONS_PER_LOOP);
    }

    /** With {@code trust} instead of the JDK's default trust store for TLS, and other limits (tests). */
    Http1Client(URI url, ClientFactory factory, TrustManagerFactory trust, int maxResponseBytes,
                int maxConnectionsPerLoop) {
        this.maxResponseBytes = maxResponseBytes;
        this.connections = new Http1Connections(url, factory, trust, maxConnectionsPerLoop, maxResponseBytes);
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int defaultPort = https ? 443 : 80;
        int port = url.getPort() < 0 ? defaultPort : url.getPort();
        this.hostHeader = AsciiString.cached(port == defaultPort ? url.getHost() : url.getHost() + ':' + port);
        String rawPath = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        this.path = url.getRawQuery() == null ? rawPath : rawPath + '?' + url.getRawQuery();
        String userInfo = url.getRawUserInfo();
        this.authorization = userInfo == null ? null : AsciiString.cached("Basic " + Base64.getEncoder().encodeToString(
                URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * POSTs {@code body} as JSON; completes with the answer, or with a {@link CallFailure} when
     * none came whole within {@code timeout}.
     */
    public CompletableFuture<Reply> post(byte[] body, Duration timeout) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        EventLoop loop = connections.loop();
        Call call = new Call(loop, body, result);
        if (loop.inEventLoop()) {
            call.start(timeout);
        } else if (!Http1Connections.run(loop, () -> call.start(timeout))) {
            result.completeExceptionally(new CallFailure(FailureKind.CONNECT, true, "the event loops are shut down"));
            return result;
        }
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                Http1Connections.run(loop, call::abort);
            }
        });
        return result;
    }

    /** Connections open to the upstream now, on all loops, busy or idle. */
    public int openConnections() {
        return connections.openConnections();
    }

    /** Closes idle connections now and the others when their call ends; later calls fail. */
    @Override
    public void close() {
        connections.close();
    }

    /** One call; everything but its creation runs on its loop. */
    private final class Call extends Http1Exchange {
        private final byte[] body;
        private final CompletableFuture<Reply> result;
        private ScheduledFuture<?> timer;

        Call(EventLoop loop, byte[] body, CompletableFuture<Reply> result) {
            super(loop);
            this.body = body;
            this.result = result;
        }

        void start(Duration timeout) {
            if (result.isDone()) {
                return;
            }
            timer = loop.schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
            connections.acquire(this);
        }

        private void timedOut() {
            if (fail(FailureKind.TIMEOUT, "no response within the timeout")) {
                cancel();
            }
        }

        void abort() {
            if (timer != null) {
                timer.cancel(false);
            }
            cancel();
        }

        boolean fail(FailureKind kind, String message) {
            return fail(new CallFailure(kind, false, message));
        }

        boolean fail(CallFailure failure) {
            if (timer != null) {
                timer.cancel(false);
            }
            return result.completeExceptionally(failure);
        }

        @Override
        protected boolean ended() {
            return result.isDone();
        }

        @Override
        protected void notConnected(Throwable cause) {
            fail(new CallFailure(FailureKind.CONNECT, true,
                    cause instanceof java.net.ConnectException && cause.getCause() == null
                    ? cause.getMessage() : Http1Connections.describe(cause)));
        }

        @Override
        protected void send(PooledConnection connection) {
            ByteBuf content = Unpooled.wrappedBuffer(body);
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
            connection.channel().writeAndFlush(request).addListener(f -> {
                if (!f.isSuccess() && !ended()) {
                    connection.abandon();
                    fail(FailureKind.RESET, "cannot send the request: " + Http1Connections.describe(f.cause()));
                }
            });
        }

        @Override
        protected void read(PooledConnection connection, Object msg) {
            if (!(msg instanceof FullHttpResponse response)) {
                return;
            }
            if (response.decoderResult().isFailure()) {
                connection.abandon();
                fail(FailureKind.RESET, "malformed or cut HTTP response: "
                        + Http1Connections.describe(response.decoderResult().cause()));
                return;
            }
            ByteBuf content = response.content();
            byte[] bytes = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), bytes);
            connection.done(HttpUtil.isKeepAlive(response) && !result.isDone());
            if (timer != null) {
                timer.cancel(false);
            }
            result.complete(new Reply(response.status().code(), response.headers(), bytes));
        }

        @Override
        protected void failed(Throwable cause) {
            fail(FailureKind.RESET, cause instanceof TooLongFrameException
                    ? "response larger than " + maxResponseBytes + " bytes" : Http1Connections.describe(cause));
        }

        @Override
        protected void closed() {
            fail(FailureKind.RESET, "connection closed before the whole response");
        }
    }
}
