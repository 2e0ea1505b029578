package dev.outlast.routing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One routed request: the chain's calls it belongs to, the method, the params as sent upstream
 * (pinned), the absolute deadline (ticker nanos), and whether a disagreement is proof of a wrong
 * answer (the request names a concrete block, so honest upstreams must agree).
 */
record CallContext(ChainCalls calls, String method, JsonNode params, long deadlineNanos, boolean pinned) {

    /** The chain's configuration, upstreams, scheduler, time and listener. */
    ChainContext chain() {
        return calls.chain();
    }

    long remainingNanos() {
        return deadlineNanos - calls.chain().ticker().nanos();
    }
}
