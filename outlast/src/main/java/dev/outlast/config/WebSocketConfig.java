package dev.outlast.config;

import java.time.Duration;

/**
 * Limits of the WebSocket endpoint ({@code ws://host/rpc/{chain}}).
 *
 * @param maxSubscriptionsPerConnection most subscriptions one connection may hold, default
 *                                      {@value #DEFAULT_MAX_SUBSCRIPTIONS}
 * @param maxConnectionsPerClient       most open connections from one client address, default
 *                                      {@value #DEFAULT_MAX_CONNECTIONS_PER_CLIENT}
 * @param maxQueuedBytes                bytes written to one client and not yet sent; past it the
 *                                      connection is closed with 1008, default
 *                                      {@value #DEFAULT_MAX_QUEUED_BYTES}
 * @param pingInterval                  how often a ping is sent, default {@link #DEFAULT_PING_INTERVAL}
 * @param idleTimeout                   a connection from which nothing (not even a pong) arrives for
 *                                      this long is closed, default {@link #DEFAULT_IDLE_TIMEOUT}
 */
public record WebSocketConfig(int maxSubscriptionsPerConnection, int maxConnectionsPerClient, long maxQueuedBytes,
                              Duration pingInterval, Duration idleTimeout) {

    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 100;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 1000;
    public static final long DEFAULT_MAX_QUEUED_BYTES = 4L * 1024 * 1024;
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);
    public static final WebSocketConfig DEFAULT = new WebSocketConfig(DEFAULT_MAX_SUBSCRIPTIONS,
            DEFAULT_MAX_CONNECTIONS_PER_CLIENT, DEFAULT_MAX_QUEUED_BYTES, DEFAULT_PING_INTERVAL, DEFAULT_IDLE_TIMEOUT);

    public WebSocketConfig {
        if (maxSubscriptionsPerConnection < 1) {
            throw new IllegalArgumentException("maxSubscriptionsPerConnection: " + maxSubscriptionsPerConnection
                    + " (expected: >= 1)");
        }
        if (maxConnectionsPerClient < 1) {
            throw new IllegalArgumentException("maxConnectionsPerClient: " + maxConnectionsPerClient
                    + " (expected: >= 1)");
        }
        if (maxQueuedBytes < 1024) {
            throw new IllegalArgumentException("maxQueuedBytes: " + maxQueuedBytes + " (expected: >= 1024)");
        }
        ChainConfig.requirePositive("pingInterval", pingInterval);
        ChainConfig.requirePositive("idleTimeout", idleTimeout);
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: longer than pingInterval "
                    + pingInterval + ", or a client answering every ping is closed)");
        }
    }

    /** These limits with {@code maxQueuedBytes} changed. */
    public WebSocketConfig withMaxQueuedBytes(long bytes) {
        return new WebSocketConfig(maxSubscriptionsPerConnection, maxConnectionsPerClient, bytes, pingInterval,
                idleTimeout);
    }

    /** These limits with {@code maxSubscriptionsPerConnection} changed. */
    public WebSocketConfig withMaxSubscriptions(int max) {
        return new WebSocketConfig(max, maxConnectionsPerClient, maxQueuedBytes, pingInterval, idleTimeout);
    }
}
