package dev.outlast.config.internal;

import dev.outlast.config.ServerConfig;
import dev.outlast.config.WebSocketConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Binds {@code server}: the listen address and the request limits. */
final class ServerBinder {

    private static final List<String> KEYS = List.of("listen", "maxRequestBytes", "maxBatchSize", "maxJsonDepth",
            "eventLoops", "idleTimeout", "fastPath", "webSocket");

    private static final List<String> WEB_SOCKET_KEYS = List.of("maxSubscriptionsPerConnection",
            "maxConnectionsPerClient", "maxQueuedBytes", "pingInterval", "idleTimeout");

    private ServerBinder() {
    }

    static Optional<ServerConfig> bind(Node node) {
        Optional<Mapping> mapping = node.mapping(KEYS, "a mapping");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        String host = ServerConfig.DEFAULT_HOST;
        int port = ServerConfig.DEFAULT_PORT;
        int maxRequestBytes = ServerConfig.DEFAULT_MAX_REQUEST_BYTES;
        int maxBatchSize = ServerConfig.DEFAULT_MAX_BATCH_SIZE;
        int maxJsonDepth = ServerConfig.DEFAULT_MAX_JSON_DEPTH;
        int eventLoops = 0;
        Duration idleTimeout = ServerConfig.DEFAULT_IDLE_TIMEOUT;
        boolean fastPath = true;
        WebSocketConfig webSocket = WebSocketConfig.DEFAULT;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "listen" -> {
                    Optional<Values.HostPort> listen = value.as(Values.LISTEN, Values::hostPort);
                    host = listen.map(Values.HostPort::host).orElse(host);
                    port = listen.map(Values.HostPort::port).orElse(port);
                }
                case "maxRequestBytes" -> maxRequestBytes =
                        value.integer(1, "a positive integer").orElse(maxRequestBytes);
                case "maxBatchSize" -> maxBatchSize = value.integer(1, "a positive integer").orElse(maxBatchSize);
                case "maxJsonDepth" -> maxJsonDepth = value.integer(2, "an integer >= 2").orElse(maxJsonDepth);
                case "eventLoops" -> eventLoops = value.integer(1, ServerConfig.MAX_EVENT_LOOPS,
                                "a number of threads from 1 to " + ServerConfig.MAX_EVENT_LOOPS + "; default: one per core")
                        .map(Long::intValue).orElse(eventLoops);
                case "idleTimeout" -> idleTimeout = value.duration(true).orElse(idleTimeout);
                case "fastPath" -> fastPath = value.bool().orElse(fastPath);
                case "webSocket" -> webSocket = webSocket(value).orElse(webSocket);
                default -> throw new AssertionError(value.key());
            }
        }
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ServerConfig(host, port, maxRequestBytes, maxBatchSize, maxJsonDepth, eventLoops,
                    idleTimeout, fastPath, webSocket));
        } catch (IllegalArgumentException e) {
            node.error(e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code server.webSocket}: the WebSocket endpoint's limits, each defaulting to {@link WebSocketConfig#DEFAULT}'s. */
    private static Optional<WebSocketConfig> webSocket(Node node) {
        Optional<Mapping> limits = node.mapping(WEB_SOCKET_KEYS, "a mapping with the WebSocket limits");
        if (limits.isEmpty()) {
            return Optional.empty();
        }
        int subscriptions = WebSocketConfig.DEFAULT_MAX_SUBSCRIPTIONS;
        int connections = WebSocketConfig.DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
        long queued = WebSocketConfig.DEFAULT_MAX_QUEUED_BYTES;
        Duration ping = WebSocketConfig.DEFAULT_PING_INTERVAL;
        Duration idle = WebSocketConfig.DEFAULT_IDLE_TIMEOUT;
        int errors = node.problems().errorCount();
        for (Node value : limits.get()) {
            switch (value.key()) {
                case "maxSubscriptionsPerConnection" ->
                        subscriptions = value.integer(1, "a positive integer").orElse(subscriptions);
                case "maxConnectionsPerClient" -> connections = value.integer(1, "a positive integer").orElse(connections);
                case "maxQueuedBytes" -> queued = value.as(CacheBinder.SIZE, CacheBinder::size).orElse(queued);
                case "pingInterval" -> ping = value.duration(true).orElse(ping);
                case "idleTimeout" -> idle = value.duration(true).orElse(idle);
                default -> throw new AssertionError(value.key());
            }
        }
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        try {
            return Optional.of(new WebSocketConfig(subscriptions, connections, queued, ping, idle));
        } catch (IllegalArgumentException e) {
            node.error(e.getMessage());
            return Optional.empty();
        }
    }
}
