package dev.outlast.config.internal;

import dev.outlast.config.WebSocketConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Binds {@code server.webSocket}: the WebSocket endpoint's limits. */
final class WebSocketBinder {

    private static final List<String> KEYS = List.of("maxSubscriptionsPerConnection", "maxConnectionsPerClient",
            "maxQueuedBytes", "pingInterval", "idleTimeout");

    private WebSocketBinder() {
    }

    static Optional<WebSocketConfig> bind(Node node) {
        Optional<Mapping> mapping = node.mapping(KEYS, "a mapping with the WebSocket limits");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        WebSocketConfig d = WebSocketConfig.DEFAULT;
        int subscriptions = d.maxSubscriptionsPerConnection();
        int connections = d.maxConnectionsPerClient();
        long queued = d.maxQueuedBytes();
        Duration ping = d.pingInterval();
        Duration idle = d.idleTimeout();
        for (Node value : mapping.get()) {
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
