package dev.outlast.routing;

import dev.outlast.rpc.RpcResponse;
import java.util.List;

/**
 * The answer to one request and how it was obtained, for the response headers and metrics.
 *
 * @param response  the result or error (without the client's id, so a coalesced outcome can be shared)
 * @param upstreams the upstreams whose answer was served (empty when Outlast answered itself)
 * @param consensus for consensus reads, e.g. {@code 2/3}: agreeing upstreams over upstreams asked
 * @param outcome   a metric label: {@code ok}, {@code upstream_error}, or an error reason word
 */
public record RpcOutcome(RpcResponse response, List<String> upstreams, String consensus, String outcome) {

    public RpcOutcome {
        upstreams = List.copyOf(upstreams);
    }
}
