package dev.outlast.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.rpc.RpcResponse;
import java.util.List;

/**
 * The answer to one request and how it was obtained, for the response headers and metrics.
 *
 * @param response  the result or error (without the client's id, so a coalesced outcome can be shared)
 * @param upstreams the upstreams whose answer was served (empty when Outlast answered itself)
 * @param consensus for consensus reads, e.g. {@code 2/3}: agreeing upstreams over upstreams asked
 * @param outcome   a metric label: {@code ok}, {@code upstream_error}, or an error reason word
 * @param verified  how the answer was verified ({@code proof}), or null
 * @param cache     {@code HIT} when answered from the cache, {@code MISS} when a cacheable request
 *                  was fetched, null when the request is never cached
 */
public record RpcOutcome(RpcResponse response, List<String> upstreams, String consensus, String outcome,
                         String verified, String cache) {

    public RpcOutcome {
        upstreams = List.copyOf(upstreams);
    }

    /** An outcome that did not involve the cache. */
    public RpcOutcome(RpcResponse response, List<String> upstreams, String consensus, String outcome,
                      String verified) {
        this(response, upstreams, consensus, outcome, verified, null);
    }

    /** The same outcome, marked {@code HIT} or {@code MISS}. */
    public RpcOutcome withCache(String cache) {
        return new RpcOutcome(response, upstreams, consensus, outcome, verified, cache);
    }

    /** An outcome that was not proof-verified. */
    public RpcOutcome(RpcResponse response, List<String> upstreams, String consensus, String outcome) {
        this(response, upstreams, consensus, outcome, null);
    }

    /** Outlast's own {@code error} for {@code chain}, with {@code error.data.chain}, involving no upstream. */
    public static RpcOutcome error(OutlastError error, String message, String chain) {
        ObjectNode node = RpcErrors.of(error, message);
        RpcErrors.data(node).put("chain", chain);
        return new RpcOutcome(RpcResponse.error(node), List.of(), null, error.reason());
    }

    /** The number of agreeing upstreams its {@code consensus} label names ({@code 2/3} gives 2); 0 without one. */
    public int agreeing() {
        if (consensus == null) {
            return 0;
        }
        int slash = consensus.indexOf('/');
        try {
            return Integer.parseInt(slash < 0 ? consensus : consensus.substring(0, slash));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
