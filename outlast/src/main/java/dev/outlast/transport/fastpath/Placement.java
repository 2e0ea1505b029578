package dev.outlast.transport.fastpath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a connection's first four bytes. HTTP/2's preface starts with {@code PRI }: the
 * connection is left to Armeria. Otherwise those four bytes go on alone, so that Armeria sets up
 * its HTTP/1 pipeline, then a {@link ClientConnection} is placed after its decoder, and the rest
 * follows. Removes itself either way.
 *
 * <p>Not thread-safe: one per connection, on its event loop.
 */
final class Placement extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(Placement.class);
    /** Armeria's HTTP/1 codec (package-private), after which requests arrive as Netty HTTP objects. */
    static final String ARMERIA_CODEC = "com.linecorp.armeria.server.HttpServerCodec";
    private static final int HTTP2_PREFACE = 0x50524920; // "PRI "

    private final FastPath path;
    private ByteBuf pending;

    Placement(FastPath path) {
        this.path = path;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        pending = pending == null ? bytes : Unpooled.wrappedBuffer(pending, bytes);
        if (pending.readableBytes() < 4) {
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        if (pending.getInt(pending.readerIndex()) != HTTP2_PREFACE) {
            ctx.fireChannelRead(pending.readRetainedSlice(4));
            String codec = null;
            for (Map.Entry<String, ChannelHandler> e : pipeline) {
                if (e.getValue().getClass().getName().equals(ARMERIA_CODEC)) {
                    codec = e.getKey();
                }
            }
            if (codec != null && ctx.channel().isActive()) {
                pipeline.addAfter(codec, "outlast-fast-rpc", new ClientConnection(path));
            } else if (codec == null && path.firstWarning()) {
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
