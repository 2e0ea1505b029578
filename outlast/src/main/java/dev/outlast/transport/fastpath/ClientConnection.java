package dev.outlast.transport.fastpath;

import com.linecorp.armeria.common.Flags;
import dev.outlast.routing.Chain;
import dev.outlast.site.Client;
import dev.outlast.site.Site;
import dev.outlast.transport.RpcReply;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection over HTTP/1, right after Armeria's decoder: answers the requests
 * {@link Classifier} gives the fast path, passes the rest on to Armeria.
 *
 * <h2>Implementation note</h2>
 * The connection is in one {@link State} at a time. Requests are handled in order: while a fast
 * answer is being written ({@link State#ANSWERING}), or a fast request waits for Armeria to finish
 * the answers it owes ({@code armeriaOpen}), what arrives is queued, and reading pauses once the
 * queue holds more than a body's worth. An answer leaves only after every earlier one, of either
 * kind. Armeria's idle timer sees only Armeria's own requests: when it would close a connection
 * that carried fast answers within the idle timeout, the connection stays open and is watched here
 * (on the injected ticker) until it is idle by both measures. Between {@link FastPath#stopping()}
 * and the server's stop each answer here carries {@code Connection: close}.
 *
 * <p>Not thread-safe: confined to the connection's event loop.
 */
final class ClientConnection extends ChannelDuplexHandler {

    /** What the connection is doing with the request at hand. */
    enum State {
        /** Between requests: the next request's head decides. */
        IDLE,
        /** A fast request's body is arriving. */
        READING,
        /** A fast request is being answered; what arrives meanwhile waits. */
        ANSWERING,
        /** The content of a request passed on to Armeria is arriving. */
        PASSING,
        /** An upgrade (WebSocket, h2c) was passed on: everything is Armeria's from now on. */
        UPGRADED,
        /** The connection closes: what arrives is dropped. */
        CLOSING
    }

    /** How much of a pipelined client's input may wait, beyond one body, before reading pauses. */
    private static final int MAX_QUEUED_BYTES = 256 * 1024;
    private static final byte[] NO_BODY = new byte[0];
    /** Armeria's idle timer fires this close to the timeout (its own clock, not the ticker). */
    private static final long TIMER_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MIN_IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final FastPath path;
    private State state = State.IDLE;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private int queuedBytes;
    private boolean paused;
    /** The fast request being read, or answered. */
    private Route reading;
    private byte[] body;
    private int filled;
    /** The site's response being written, if any. */
    private SiteResponseWriter site;
    /** Requests passed to Armeria whose answer has not been written to the end yet. */
    private int armeriaOpen;
    private long lastFast;
    private long lastArmeria;
    private ScheduledFuture<?> idleCheck;
    /** The client (loop, address, whether it came over TLS) for a site's forwarded headers. */
    private Client client;

    ClientConnection(FastPath path) {
        this.path = path;
        this.lastArmeria = path.ticker().nanos();
    }

    /** The current state, for tests. */
    State state() {
        return state;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        client = new Client(ctx.executor(), ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null,
                            ctx.pipeline().get(SslHandler.class) != null);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject) || state == State.UPGRADED) {
            ctx.fireChannelRead(msg);
        } else if (state == State.CLOSING) {
            ReferenceCountUtil.release(msg);
        } else if (state == State.ANSWERING || !queued.isEmpty() || !dispatch(ctx, msg)) {
            queue(ctx, msg);
        }
    }

    private void queue(ChannelHandlerContext ctx, Object msg) {
        queued.add(msg);
        if (msg instanceof HttpContent content) {
            queuedBytes += content.content().readableBytes();
        }
        if (queuedBytes > MAX_QUEUED_BYTES + path.maxRequestBytes() && !paused) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Handles one message in order; false if it has to wait for Armeria's open answers. */
    private boolean dispatch(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case READING -> {
                read(ctx, (HttpObject) msg);
                return true;
            }
            case PASSING -> {
                lastArmeria = path.ticker().nanos();
                if (msg instanceof LastHttpContent) {
                    state = State.IDLE;
                }
                ctx.fireChannelRead(msg);
                return true;
            }
            case UPGRADED -> {
                ctx.fireChannelRead(msg);
                return true;
            }
            default -> {
            }
        }
        if (!(msg instanceof HttpRequest request)) {
            // content without a request: Armeria's decoder answers that
            ctx.fireChannelRead(msg);
            return true;
        }
        Route route = path.classifier().classify(request);
        if (route == Route.Armeria.INSTANCE) {
            armeriaOpen++;
            lastArmeria = path.ticker().nanos();
            if (request.headers().contains(HttpHeaderNames.UPGRADE)) {
                state = State.UPGRADED;
            } else if (!(msg instanceof LastHttpContent)) {
                state = State.PASSING;
            }
            ctx.fireChannelRead(msg);
            return true;
        }
        if (armeriaOpen > 0) {
            return false;
        }
        lastFast = path.ticker().nanos();
        reading = route;
        body = route instanceof Route.Rpc<?> rpc && rpc.length() > 0 ? new byte[rpc.length()] : NO_BODY;
        filled = 0;
        state = State.READING;
        if (msg instanceof HttpContent content) {
            read(ctx, content);
        }
        return true;
    }

    private void read(ChannelHandlerContext ctx, HttpObject msg) {
        if (!(msg instanceof HttpContent content)) {
            // a new request before the body ended cannot come from the decoder
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
            int n = Math.min(data.readableBytes(), body.length - filled);
            data.getBytes(data.readerIndex(), body, filled, n);
            filled += n;
        } finally {
            content.release();
        }
        if (msg instanceof LastHttpContent) {
            state = State.ANSWERING;
            answer(ctx);
        }
    }

    private void answer(ChannelHandlerContext ctx) {
        Route route = reading;
        byte[] request = body;
        reading = null;
        body = null;
        if (route instanceof Route.SiteRequest<?> siteRequest) {
            Site target = (Site) siteRequest.site();
            SiteResponseWriter writer = new SiteResponseWriter(this, ctx, target.id(), siteRequest.head(),
                                                               !siteRequest.keepAlive() || path.isStopping());
            site = writer;
            CompletableFuture<com.linecorp.armeria.common.HttpResponse> response =
                    target.serve(siteRequest.headers(), client);
            com.linecorp.armeria.common.HttpResponse ready = response.getNow(null);
            if (ready != null) {
                ready.subscribe(writer, ctx.executor());
            } else {
                // completed on this connection's loop, where the call runs
                response.thenAccept(r -> r.subscribe(writer, ctx.executor()));
            }
            return;
        }
        Route.Rpc<?> rpc = (Route.Rpc<?>) route;
        CompletableFuture<RpcReply> reply = path.rpc().reply((Chain) rpc.chain(), request);
        RpcReply ready = reply.getNow(null);
        if (ready != null) {
            write(ctx, ready, rpc.keepAlive());
            return;
        }
        reply.thenAccept(r -> {
            if (ctx.executor().inEventLoop()) {
                write(ctx, r, rpc.keepAlive());
            } else {
                ctx.executor().execute(() -> write(ctx, r, rpc.keepAlive()));
            }
        });
    }

    private void write(ChannelHandlerContext ctx, RpcReply reply, boolean keepAlive) {
        lastFast = path.ticker().nanos();
        if (state != State.ANSWERING || !ctx.channel().isActive()) {
            return;
        }
        state = State.IDLE;
        boolean close = !keepAlive || path.isStopping();
        end(ctx, ResponseHeads.rpc(reply, close), close);
    }

    /** The site's answer ended with {@code last}: its last content, or the whole response in one message. */
    void siteAnswered(ChannelHandlerContext ctx, Object last, boolean close) {
        site = null;
        state = State.IDLE;
        lastFast = path.ticker().nanos();
        end(ctx, last, close);
    }

    /** The site's answer broke off after some of it was written: the client must see it end short. */
    void siteBroken(ChannelHandlerContext ctx) {
        site = null;
        state = State.CLOSING;
        releaseQueued();
        ctx.flush();
        ctx.close();
    }

    /** Writes the end of an answer, then closes the connection or goes on with what waited. */
    private void end(ChannelHandlerContext ctx, Object last, boolean close) {
        path.countAnswered();
        if (close) {
            state = State.CLOSING;
            releaseQueued();
            ctx.writeAndFlush(last).addListener(f -> closeAfterLastAnswer(ctx, f.isSuccess()));
            return;
        }
        ctx.writeAndFlush(last);
        drain(ctx);
    }

    /**
     * As Armeria's server does after the last answer on a connection: the client is left to close
     * first (so that the server keeps no socket in {@code TIME_WAIT}), and after Armeria's
     * {@code defaultHttp1ConnectionCloseDelayMillis} (3 s by default; 0 closes at once) the
     * connection is closed here.
     */
    private static void closeAfterLastAnswer(ChannelHandlerContext ctx, boolean written) {
        long delay = Flags.defaultHttp1ConnectionCloseDelayMillis();
        if (!written || delay == 0) {
            ctx.close();
        } else {
            ctx.executor().schedule(() -> ctx.close(), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Handles what waited, in order, until something has to wait again. */
    private void drain(ChannelHandlerContext ctx) {
        while (state != State.ANSWERING && state != State.CLOSING && !queued.isEmpty()) {
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
        // Armeria's writes (this handler's own start after it): the end of one of its answers; a
        // 100 Continue is a whole message that answers nothing yet
        boolean ends = msg instanceof LastHttpContent && !(msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL);
        if (msg instanceof HttpObject) {
            lastArmeria = path.ticker().nanos();
        }
        ctx.write(msg, promise);
        if (ends && armeriaOpen > 0 && --armeriaOpen == 0 && !queued.isEmpty()) {
            ctx.executor().execute(() -> drain(ctx));
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        long now = path.ticker().nanos();
        boolean fastInUse = state == State.READING || state == State.ANSWERING;
        if (!path.isStopping() && (fastInUse || state == State.IDLE) && armeriaOpen == 0
                && now - lastArmeria >= path.idleNanos() - TIMER_SLACK_NANOS
                && (fastInUse || now - lastFast < path.idleNanos())) {
            // Armeria's idle timer, which saw none of the calls answered here: the connection is
            // in use. It stays open and is watched here from now on.
            ctx.channel().closeFuture().addListener(f -> promise.trySuccess());
            watchIdle(ctx, path.idleNanos() - (now - lastFast));
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
            if (state == State.UPGRADED) {
                return; // the connection is Armeria's now: never closed here
            }
            long idle = path.ticker().nanos() - Math.max(lastFast, lastArmeria);
            boolean busy = state == State.READING || state == State.ANSWERING || state == State.PASSING;
            if (busy || armeriaOpen > 0 || idle < path.idleNanos()) {
                watchIdle(ctx, path.idleNanos() - idle);
            } else {
                ctx.close();
            }
        }, Math.max(delayNanos, MIN_IDLE_CHECK_NANOS), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
        releaseQueued();
        reading = null;
        body = null;
        if (site != null) {
            site.cancel();
            site = null;
        }
        state = State.CLOSING;
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
