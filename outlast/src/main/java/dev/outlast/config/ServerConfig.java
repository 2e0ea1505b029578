package dev.outlast.config;

import java.time.Duration;

/**
 * The HTTP listener and the limits applied to every request before it is routed.
 *
 * @param host           address to bind, default {@value #DEFAULT_HOST}
 * @param port           port to bind, default {@value #DEFAULT_PORT}; 0 picks a free port
 * @param maxRequestBytes largest accepted request body, default {@value #DEFAULT_MAX_REQUEST_BYTES}
 * @param maxBatchSize   most elements in one JSON-RPC batch, default {@value #DEFAULT_MAX_BATCH_SIZE}
 * @param maxJsonDepth   deepest nesting of arrays and objects in a request, default
 *                       {@value #DEFAULT_MAX_JSON_DEPTH}
 * @param eventLoops     threads serving clients, upstream calls and timers; 0 (the default): one
 *                       per core the JVM may use, as nginx's {@code worker_processes auto}
 * @param idleTimeout    how long a client's connection stays open with no request in progress and
 *                       nothing read or written, default {@link #DEFAULT_IDLE_TIMEOUT}
 * @param fastPath       whether plain JSON-RPC calls over HTTP/1.1 are answered right behind the
 *                       HTTP/1 decoder instead of through Armeria's service machinery (default true)
 * @param webSocket      limits of the WebSocket endpoint, default {@link WebSocketConfig#DEFAULT}
 */
public record ServerConfig(String host, int port, int maxRequestBytes, int maxBatchSize, int maxJsonDepth,
                           int eventLoops, Duration idleTimeout, boolean fastPath, WebSocketConfig webSocket) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_BATCH_SIZE = 100;
    public static final int DEFAULT_MAX_JSON_DEPTH = 32;
    /** Most event loops accepted: more threads than this only compete for the same cores. */
    public static final int MAX_EVENT_LOOPS = 256;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(15);

    /** A server with the default WebSocket limits. */
    public ServerConfig(String host, int port, int maxRequestBytes, int maxBatchSize, int maxJsonDepth,
                        int eventLoops, Duration idleTimeout, boolean fastPath) {
        this(host, port, maxRequestBytes, maxBatchSize, maxJsonDepth, eventLoops, idleTimeout, fastPath,
             WebSocketConfig.DEFAULT);
    }

    /** The same server with other WebSocket limits. */
    public ServerConfig withWebSocket(WebSocketConfig limits) {
        return new ServerConfig(host, port, maxRequestBytes, maxBatchSize, maxJsonDepth, eventLoops, idleTimeout,
                                fastPath, limits);
    }

    public ServerConfig {
        java.util.Objects.requireNonNull(webSocket, "webSocket");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes: " + maxRequestBytes + " (expected: >= 1)");
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize: " + maxBatchSize + " (expected: >= 1)");
        }
        if (maxJsonDepth < 2) {
            throw new IllegalArgumentException("maxJsonDepth: " + maxJsonDepth + " (expected: >= 2)");
        }
        if (eventLoops < 0 || eventLoops > MAX_EVENT_LOOPS) {
            throw new IllegalArgumentException("eventLoops: " + eventLoops
                    + " (expected: 1.." + MAX_EVENT_LOOPS + ", or 0 for one per core)");
        }
        if (idleTimeout == null || idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: at least 1ms)");
        }
    }

    /** The event loops to run: {@link #eventLoops}, or one per available core when it is 0. */
    public int effectiveEventLoops() {
        return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    }

    /** The server with every default, listening on {@code host:port}. */
    public static ServerConfig of(String host, int port) {
        return new ServerConfig(host, port, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_BATCH_SIZE,
                                DEFAULT_MAX_JSON_DEPTH, 0, DEFAULT_IDLE_TIMEOUT, true);
    }

    /** The host as it stands in a URL: an IPv6 address in brackets. */
    public String hostForUrl() {
        return host.indexOf(':') >= 0 ? '[' + host + ']' : host;
    }
}
