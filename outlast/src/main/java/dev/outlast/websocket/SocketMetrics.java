package dev.outlast.websocket;

import dev.outlast.subscription.BlockFeed;
import dev.outlast.subscription.PendingFeed;
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
 * dropped (and why), per chain the blocks the feed delivered late (backfilled), its reorgs and the
 * pending transactions announced, and per upstream with a {@code ws:} URL whether its socket is
 * open and how often it was opened again.
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
    void feed(String chain, BlockFeed feed, PendingFeed pending) {
        FunctionCounter.builder("outlast_ws_pending_transactions_total", pending, PendingFeed::delivered)
                .description("Distinct pending transactions the upstreams announced while subscribed to")
                .tag("chain", chain).register(registry);
        FunctionCounter.builder("outlast_ws_blocks_backfilled_total", feed, BlockFeed::backfilled)
                .description("Blocks delivered to subscriptions more than one behind the served head (caught up)")
                .tag("chain", chain).register(registry);
        FunctionCounter.builder("outlast_ws_reorgs_total", feed, BlockFeed::reorgs)
                .description("Reorgs the subscription feed delivered (replaced blocks, removed logs)")
                .tag("chain", chain).register(registry);
    }

    /** Registers whether each upstream socket is open. */
    void upstreamSockets(Collection<UpstreamSocket> sockets) {
        for (UpstreamSocket socket : sockets) {
            Gauge.builder("outlast_upstream_socket_open", socket, s -> s.isOpen() ? 1 : 0)
                    .description("1 while the socket to the upstream's ws: URL is open and subscribed to newHeads")
                    .tag("chain", socket.chainId()).tag("upstream", socket.upstreamName()).register(registry);
        }
    }

    /** A socket to an upstream ended and is opened again: {@code closed}, {@code failed}, {@code stalled} or {@code refused}. */
    void reopened(String chain, String upstream, String reason) {
        Counter.builder("outlast_upstream_socket_reopens_total")
                .description("Sockets to upstreams' ws: URLs opened again, by why the previous one ended")
                .tags("chain", chain, "upstream", upstream, "reason", reason).register(registry).increment();
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
