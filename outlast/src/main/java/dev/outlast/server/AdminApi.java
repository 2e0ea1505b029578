package dev.outlast.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.health.HealthSnapshot;
import dev.outlast.routing.Chain;
import dev.outlast.routing.ChainUpstream;
import java.util.Collection;

/**
 * The JSON documents of the admin API ({@code /api/v1/...}). Upstream URLs appear redacted only.
 *
 * <p>Thread-safe (stateless).
 */
final class AdminApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminApi() {
    }

    /** {@code GET /api/v1/upstreams}: every chain with every upstream's state, reason, head, lag and latency. */
    static ObjectNode upstreams(Collection<Chain> chains) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("chains");
        for (Chain chain : chains) {
            ObjectNode c = list.addObject();
            c.put("id", chain.id());
            c.put("chainId", chain.config().chainId());
            c.put("head", chain.servedHead());
            c.put("ready", chain.isReady());
            c.putObject("verify").put("mode", chain.config().verify().mode().label())
                    .put("now", chain.effectiveVerify())
                    .put("allowUnverified", chain.config().verify().allowUnverified());
            ArrayNode ups = c.putArray("upstreams");
            for (ChainUpstream u : chain.upstreams()) {
                HealthSnapshot h = u.health().snapshot();
                ObjectNode n = ups.addObject();
                n.put("name", u.name());
                n.put("url", u.upstream().redactedUrl());
                n.put("state", h.state().label());
                n.put("reason", u.upstream().redactor().scrub(h.reason()));
                n.put("usable", u.health().isUsable());
                n.put("head", h.head());
                n.put("lag", h.lag());
                n.put("latencyMs", round(h.latencyMs()));
                n.put("p90Ms", round(h.p90Ms()));
                n.put("errorRate", round(h.errorRate()));
                n.put("calls", h.calls());
                n.put("proofs", chain.proofSupport(u.name()));
                double rate = u.health().budget().rate();
                if (Double.isInfinite(rate)) {
                    n.putNull("rateLimit");
                } else {
                    n.put("rateLimit", round(rate));
                }
                if (h.lastFailure() != null) {
                    ObjectNode f = n.putObject("lastFailure");
                    f.put("kind", h.lastFailure().label());
                    f.put("detail", u.upstream().redactor().scrub(h.lastFailureDetail()));
                }
                n.put("quarantinedForSeconds", h.quarantinedFor().toSeconds());
            }
        }
        return root;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
