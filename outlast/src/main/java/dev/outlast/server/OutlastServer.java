package dev.outlast.server;

import dev.outlast.config.OutlastConfig;

/**
 * A running Outlast: the HTTP server and everything behind it, built from one configuration.
 *
 * <p>Thread-safe. {@link #close()} stops the server and every background task and waits for them.
 */
public final class OutlastServer implements AutoCloseable {

    private final int port;

    private OutlastServer(int port) {
        this.port = port;
    }

    /** Starts serving {@code config}; returns once the listener is bound. */
    public static OutlastServer start(OutlastConfig config) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The bound port (useful when the configured port is 0). */
    public int port() {
        return port;
    }

    /** Blocks until the server is closed (by {@link #close()} or a shutdown signal). */
    public void awaitClose() {
    }

    @Override
    public void close() {
    }
}
