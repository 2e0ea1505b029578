package dev.outlast.routing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One routed request: the method, the params as sent upstream (pinned), the absolute deadline
 * (ticker nanos), and whether a disagreement is proof of a wrong answer (the request names a
 * concrete block, so honest upstreams must agree).
 */
record CallContext(Chain chain, String method, JsonNode params, long deadlineNanos, boolean pinned) {

    long remainingNanos() {
        return deadlineNanos - chain.ticker().nanos();
    }
}
