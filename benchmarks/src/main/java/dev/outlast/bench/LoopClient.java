package dev.outlast.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * {@link BareArmeria}'s client for {@code /proxy-netty}: HTTP/1.1 keep-alive connections to one
 * origin, kept per event loop and used by requests on that loop, with Netty's codecs and nothing
 * else (no timeouts, no TLS, no connection limit; a call fails when its connection closes). A measuring device for the
 * cost of Armeria's client, not a client to use.
 */
final class LoopClient {
    private static final AttributeKey<CompletableFuture<byte[]>> PENDING = AttributeKey.valueOf("pending");
    private final InetSocketAddress origin;
    private final ThreadLocal<ArrayDeque<Channel>> idle = ThreadLocal.withInitial(ArrayDeque::new);

    LoopClient(InetSocketAddress origin) {
        this.origin = origin;
    }

    CompletableFuture<byte[]> post(EventLoop loop, ByteBuf body) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", body);
        out.headers().set(HttpHeaderNames.HOST, "127.0.0.1")
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        ArrayDeque<Channel> pool = idle.get();
        Channel ch;
        while ((ch = pool.pollLast()) != null) {
            if (ch.isActive()) {
                ch.attr(PENDING).set(result);
                ch.writeAndFlush(out);
                return result;
            }
        }
        new Bootstrap().group(loop).channel(IoUringSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
                                        CompletableFuture<byte[]> f = ctx.channel().attr(PENDING).getAndSet(null);
                                        byte[] bytes = new byte[res.content().readableBytes()];
                                        res.content().getBytes(res.content().readerIndex(), bytes);
                                        if (HttpUtil.isKeepAlive(res)) {
                                            idle.get().addLast(ctx.channel());
                                        } else {
                                            ctx.close(); // nginx closes after keepalive_requests answers
                                        }
                                        if (f != null) {
                                            f.complete(bytes);
                                        }
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        idle.get().remove(ctx.channel());
                                        CompletableFuture<byte[]> f = ctx.channel().attr(PENDING).getAndSet(null);
                                        if (f != null) {
                                            f.completeExceptionally(new java.io.IOException("connection closed"));
                                        }
                                    }
                                });
                    }
                })
                .connect(origin).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        f.channel().attr(PENDING).set(result);
                        f.channel().writeAndFlush(out);
                    } else {
                        out.release();
                        result.completeExceptionally(f.cause());
                    }
                });
        return result;
    }
}
