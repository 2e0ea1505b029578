package dev.outlast.websocket;

import dev.outlast.subscription.BlockFeed;
import dev.outlast.subscription.Subscriptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket endpoint's meters: open sockets, subscriptions by type, notifications sent, clients
 * dropped (and why), and per chain the blocks the feed delivered late (backfilled) and its reorgs.
 */
final class SocketMetrics {

    private final MeterRegistry registry;
    private final Map<Subscriptions.Type, Counter> notifications = new EnumMap<>(Subscriptions.Type.class);
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();

    SocketMetrics(MeterRegistry registry, Collection<SocketSession> sessions) {
        this.registry = registry;
        Gauge.builder("outlast_ws_connections", sessions, Collection::size)
                .description("Open WebSocket connections").register(registry);
        for (Subscriptions.Type type : Subscriptions.Type.values()) {
            Gauge.builder("outlast_ws_subscriptions", sessions, all -> all.stream().mapToInt(s -> s.count(type)).sum())
                    .description("Subscriptions held by clients").tag("type", type.label()).register(registry);
            notifications.put(type, Counter.builder("outlast_ws_notifications_total")
                    .description("Subscription notifications written to clients").tag("type", type.label())
                    .register(registry));
        }
    }

    /** Registers a chain's feed meters. */
    void feed(String chain, BlockFeed feed) {
        FunctionCounter.builder("outlast_ws_blocks_backfilled_total", feed, BlockFeed::backfilled)
                .description("Blocks delivered to subscriptions more than one behind the served head (caught up)")
                .tag("chain", chain).register(registry);
        FunctionCounter.builder("outlast_ws_reorgs_total", feed, BlockFeed::reorgs)
                .description("Reorgs the subscription feed delivered (replaced blocks, removed logs)")
                .tag("chain", chain).register(registry);
    }

    void notification(Subscriptions.Type type) {
        notifications.get(type).increment();
    }

    /** A client was closed: {@code slow}, {@code idle} or refused: {@code too_many_connections}. */
    void dropped(String reason) {
        dropped.computeIfAbsent(reason, r -> Counter.builder("outlast_ws_clients_dropped_total")
                .description("WebSocket clients closed or refused by a limit").tag("reason", r).register(registry))
                .increment();
    }
}
