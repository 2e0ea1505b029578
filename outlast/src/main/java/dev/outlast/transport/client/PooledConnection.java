package dev.outlast.transport.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * One connection of {@link Http1Connections}, as its pipeline's last handler: at most one
 * {@link Http1Exchange} at a time, and back to its loop's pool when one ends. An answer nobody
 * asked for, or a connection idle past its time with no exchange, closes it.
 *
 * <p>Not thread-safe: confined to the connection's event loop.
 */
final class PooledConnection extends ChannelInboundHandlerAdapter {

    private final Http1Connections.Pool pool;
    private Channel channel;
    private Http1Exchange current;
    /** Exchanges sent on this connection so far. */
    private int served;

    PooledConnection(Http1Connections.Pool pool) {
        this.pool = pool;
    }

    /** The connection's channel, to write the request on. */
    public Channel channel() {
        return channel;
    }

    /**
     * The current exchange has its whole answer: the connection goes to the next waiting exchange or
     * back to the pool when {@code keepAlive}, else it is closed.
     */
    public void done(boolean keepAlive) {
        current = null;
        if (keepAlive) {
            release();
        } else {
            channel.close();
        }
    }

    /** The current exchange cannot go on on this connection (a write failed, an answer is malformed): closes it. */
    public void abandon() {
        current = null;
        channel.close();
    }

    int served() {
        return served;
    }

    /** Closes the connection if {@code exchange} is on it; false if it is not. */
    boolean drop(Http1Exchange exchange) {
        if (current != exchange) {
            return false;
        }
        current = null;
        channel.close();
        return true;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        pool.opened();
        ctx.fireChannelActive();
    }

    /** A new connection's first exchange, or back to the pool if that exchange ended while connecting. */
    void use(Http1Exchange exchange) {
        if (exchange.ended()) {
            release();
        } else {
            send(exchange);
        }
    }

    void send(Http1Exchange exchange) {
        served++;
        current = exchange;
        exchange.connection = this;
        exchange.send(this);
    }

    private void release() {
        if (pool.clientClosed() || !channel.isActive()) {
            channel.close();
            return;
        }
        Http1Exchange next = pool.nextWaiting();
        if (next != null) {
            send(next);
        } else {
            pool.idle.addLast(this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Http1Exchange exchange = current;
        if (exchange == null) {
            ReferenceCountUtil.release(msg);
            channel.close(); // an answer nobody asked for: the connection is out of step
            return;
        }
        try {
            exchange.read(this, msg);
        } finally {
            ReferenceCountUtil.release(msg);
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
        Http1Exchange exchange = current;
        current = null;
        channel.close();
        if (exchange != null) {
            exchange.failed(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.closed(this);
        Http1Exchange exchange = current;
        current = null;
        if (exchange != null) {
            exchange.closed();
        }
        pool.openForNext();
        ctx.fireChannelInactive();
    }
}
