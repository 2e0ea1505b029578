package dev.outlast.routing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.rpc.RpcResponse;
import dev.outlast.upstream.UpstreamReply;
import java.util.Collection;
import java.util.List;

/** Builds Outlast's error outcomes with per-upstream detail (already redacted by the upstream). */
final class Attempts {

    private Attempts() {
    }

    static RpcOutcome error(OutlastError error, String message, String chain, Collection<UpstreamReply> failures,
                            Collection<String> pending) {
        ObjectNode node = RpcErrors.of(error, message);
        ObjectNode data = RpcErrors.data(node);
        data.put("chain", chain);
        ArrayNode list = data.putArray("upstreams");
        for (UpstreamReply f : failures) {
            ObjectNode u = list.addObject();
            u.put("name", f.upstream());
            if (f.isFailure()) {
                u.put("failure", f.failure().label());
                if (f.detail() != null) {
                    u.put("detail", f.detail());
                }
            } else {
                u.set("answer", f.result() != null ? f.result() : f.error());
            }
        }
        for (String name : pending) {
            list.addObject().put("name", name).put("failure", "timeout").put("detail", "no answer before the deadline");
        }
        return new RpcOutcome(RpcResponse.error(node), List.of(), null, error.reason());
    }

    static RpcOutcome answer(UpstreamReply reply, List<String> upstreams, String consensus) {
        if (reply.error() != null) {
            return new RpcOutcome(RpcResponse.error(reply.error()), upstreams, consensus, "upstream_error");
        }
        return new RpcOutcome(RpcResponse.result(
                reply.result() == null ? JsonNodeFactory.instance.nullNode() : reply.result()),
                upstreams, consensus, "ok");
    }

    static ArrayNode emptyArray() {
        return JsonNodeFactory.instance.arrayNode();
    }
}
