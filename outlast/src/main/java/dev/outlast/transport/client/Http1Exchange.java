package dev.outlast.transport.client;

import io.netty.channel.EventLoop;

/**
 * One request and its answer on {@link Http1Connections}, as a client shapes them: what to send and
 * how to read the answer. Every callback runs on {@link #loop}, and at most one of
 * {@link #notConnected}, {@link #failed} and {@link #closed} ends it (or the exchange itself does,
 * through its {@link PooledConnection}).
 *
 * <p>Not thread-safe: confined to its loop after it is made.
 */
abstract class Http1Exchange {

    protected final EventLoop loop;
    /** The pool of the exchange's loop, once it asked for a connection. */
    Http1Connections.Pool pool;
    /** The connection the exchange was sent on, if any. */
    PooledConnection connection;

    protected Http1Exchange(EventLoop loop) {
        this.loop = loop;
    }

    /** True once the exchange wants no connection any more (answered, failed, timed out, cancelled). */
    protected abstract boolean ended();

    /** A connection is ready: write the request on it. */
    protected abstract void send(PooledConnection connection);

    /**
     * No connection was made: refused, unresolvable, TLS handshake, connect timeout, client closed
     * (the endpoint never saw the request).
     */
    protected abstract void notConnected(Throwable cause);

    /** A message decoded on the exchange's connection; the connection releases it after this returns. */
    protected abstract void read(PooledConnection connection, Object msg);

    /** The connection failed (it is being closed). */
    protected abstract void failed(Throwable cause);

    /** The connection closed while the exchange was on it. */
    protected abstract void closed();

    /**
     * True when the exchange's connection had served an exchange before this one: a failure on it
     * before any answer may be the keep-alive race (the other side closed the idle connection as the
     * request went out), which a safe request may retry.
     */
    protected final boolean onReusedConnection() {
        return connection != null && connection.served() > 1;
    }

    /** Gives up on the exchange: closes its connection if it has one, or leaves the queue for one. */
    protected final void cancel() {
        if (connection != null && connection.drop(this)) {
            return;
        }
        if (pool != null) {
            pool.waiting.remove(this);
        }
    }
}
