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

    /** A listener that tells {@code first}, then {@code second}. */
    static RoutingListener both(RoutingListener first, RoutingListener second) {
        return new RoutingListener() {
            @Override
            public void onUpstreamReply(String chain, String method, UpstreamReply reply) {
                first.onUpstreamReply(chain, method, reply);
                second.onUpstreamReply(chain, method, reply);
            }

            @Override
            public void onFailover(String chain, String method, String from) {
                first.onFailover(chain, method, from);
                second.onFailover(chain, method, from);
            }

            @Override
            public void onHedge(String chain, String method, String slowUpstream) {
                first.onHedge(chain, method, slowUpstream);
                second.onHedge(chain, method, slowUpstream);
            }

            @Override
            public void onDisagreement(String chain, String method) {
                first.onDisagreement(chain, method);
                second.onDisagreement(chain, method);
            }

            @Override
            public void onQuarantine(String chain, String upstream, String why) {
                first.onQuarantine(chain, upstream, why);
                second.onQuarantine(chain, upstream, why);
            }

            @Override
            public void onCoalesced(String chain, String method) {
                first.onCoalesced(chain, method);
                second.onCoalesced(chain, method);
            }

            @Override
            public void onStateChange(String chain, String upstream, HealthState from, HealthState to, String reason) {
                first.onStateChange(chain, upstream, from, to, reason);
                second.onStateChange(chain, upstream, from, to, reason);
            }

            @Override
            public void onReorg(String chain, long fromBlock, long depth) {
                first.onReorg(chain, fromBlock, depth);
                second.onReorg(chain, fromBlock, depth);
            }

            @Override
            public void onChainIdCheck(String chain, String upstream, String mismatch) {
                first.onChainIdCheck(chain, upstream, mismatch);
                second.onChainIdCheck(chain, upstream, mismatch);
            }
        };
    }

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

    /** The chain replaced its blocks from {@code fromBlock} up ({@code depth} blocks) in a reorg. */
    default void onReorg(String chain, long fromBlock, long depth) {
    }

    /**
     * An upstream's {@code eth_chainId} was checked: {@code mismatch} is {@code null} when it matched,
     * else why not ({@code wrong chain id: expected 0x539 (1337) got 0x5 (5)}).
     */
    default void onChainIdCheck(String chain, String upstream, String mismatch) {
    }
}
