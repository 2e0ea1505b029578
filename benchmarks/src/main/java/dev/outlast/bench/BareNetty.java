package dev.outlast.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Netty alone under the same load as {@link BareArmeria}: HTTP/1.1 codecs, one origin connection
 * per client connection on the client connection's event loop, nothing else (no request context,
 * no response streams, no pooling across connections, no limits, no timeouts). What an HTTP path
 * without Armeria could reach at best on this machine, to weigh against Armeria's floor in
 * {@code benchmarks/wrk-vs-nginx.sh}; not a proxy to run (one request in flight per connection,
 * which is what wrk sends).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.outlast.bench.BareNetty PORT ORIGIN_URL [EVENT_LOOPS]}
 * (default: two per core, Armeria's default)
 */
public final class BareNetty {

    private static final byte[] RESULT =
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x3635c9adc5dea00000\"}".getBytes(StandardCharsets.US_ASCII);

    private BareNetty() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: BareNetty PORT ORIGIN_URL [EVENT_LOOPS]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        URI origin = URI.create(args[1]);
        InetSocketAddress originAddress = new InetSocketAddress(origin.getHost(), origin.getPort());
        boolean uring = IoUring.isAvailable();
        IoHandlerFactory io = uring ? IoUringIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverChannel = uring ? IoUringServerSocketChannel.class
                                                             : NioServerSocketChannel.class;
        Class<? extends Channel> clientChannel = uring ? IoUringSocketChannel.class : NioSocketChannel.class;
        // as many loops as the other targets are given, so that the floors differ in the stack only
        int loops = args.length == 3 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors() * 2;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, io);
        new ServerBootstrap().group(group).channel(serverChannel)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new Front(originAddress, clientChannel));
                    }
                })
                .bind("127.0.0.1", port).sync();
        System.out.println("bare netty (" + (uring ? "io_uring" : "nio") + ") listening on http://127.0.0.1:" + port);
    }

    /** A client connection: answers /static itself, forwards anything else on its own origin connection. */
    private static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final InetSocketAddress origin;
        private final Class<? extends Channel> channelType;
        private Channel back;

        Front(InetSocketAddress origin, Class<? extends Channel> channelType) {
            this.origin = origin;
            this.channelType = channelType;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (req.uri().startsWith("/static")) {
                ctx.writeAndFlush(json(Unpooled.wrappedBuffer(RESULT)));
                return;
            }
            FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                    req.content().retain());
            HttpHeaders headers = out.headers();
            headers.set(HttpHeaderNames.HOST, origin.getHostString() + ":" + origin.getPort());
            headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
            if (back != null && back.isActive()) {
                back.writeAndFlush(out);
                return;
            }
            Channel front = ctx.channel();
            new Bootstrap().group(front.eventLoop()).channel(channelType)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                    new Back(front));
                        }
                    })
                    .connect(origin).addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            back = f.channel();
                            back.writeAndFlush(out);
                        } else {
                            out.release();
                            front.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                    HttpResponseStatus.BAD_GATEWAY)).addListener(ChannelFutureListener.CLOSE);
                        }
                    });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (back != null) {
                back.close();
            }
        }
    }

    /** The origin connection of one client connection: its answers go back to that client. */
    private static final class Back extends SimpleChannelInboundHandler<FullHttpResponse> {

        private final Channel front;

        Back(Channel front) {
            this.front = front;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            front.writeAndFlush(json(res.content().retain()));
        }
    }

    private static FullHttpResponse json(ByteBuf body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return res;
    }
}
