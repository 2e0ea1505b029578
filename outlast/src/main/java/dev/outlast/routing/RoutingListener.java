package dev.outlast.routing;

import dev.outlast.health.HealthState;
import dev.outlast.upstream.UpstreamReply;

/**
 * Notable routing events, for metrics and logs. Every method has a no-op default. Implementations
 * must be thread-safe and must not block: they are called on event-loop threads.
 */
public interface RoutingListener {

    RoutingListener NONE = new RoutingListener() {
    };

    default void onUpstreamReply(String chain, String method, UpstreamReply reply) {
    }

    default void onFailover(String chain, String method, String from) {
    }

    default void onHedge(String chain, String method, String slowUpstream) {
    }

    default void onDisagreement(String chain, String method) {
    }

    default void onQuarantine(String chain, String upstream, String why) {
    }

    default void onCoalesced(String chain, String method) {
    }

    default void onStateChange(String chain, String upstream, HealthState from, HealthState to, String reason) {
    }
}
