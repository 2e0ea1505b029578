package dev.outlast.admin;

import static dev.outlast.admin.Responses.error;
import static dev.outlast.admin.Responses.json;
import static dev.outlast.admin.Responses.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.outlast.health.HealthSnapshot;
import dev.outlast.routing.Chain;
import dev.outlast.routing.ChainUpstream;
import java.util.Map;
import java.util.Optional;

/**
 * The upstreams API:
 * <ul>
 *   <li>{@code GET /api/v1/upstreams}: every chain with every upstream's state, reason, head, lag
 *       and latency</li>
 *   <li>{@code POST /api/v1/upstreams/{chain}/{name}/drain} and {@code .../restore} (bearer token)</li>
 * </ul>
 * Upstream URLs appear redacted only. Errors as {@link Endpoints} says, and 404 for an unknown
 * chain, upstream or action.
 *
 * <p>Thread-safe.
 */
final class UpstreamsApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Chain> chains;
    private final Bearer bearer;

    UpstreamsApi(Map<String, Chain> chains, Bearer bearer) {
        this.chains = chains;
        this.bearer = bearer;
    }

    void routes(ServerBuilder sb) {
        sb.service("/api/v1/upstreams", (ctx, req) -> json(HttpStatus.OK, upstreams()));
        sb.service("/api/v1/upstreams/{chain}/{name}/{action}", Endpoints.post(bearer, this::drainOrRestore));
    }

    private ObjectNode upstreams() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("chains");
        for (Chain chain : chains.values()) {
            ObjectNode c = list.addObject();
            c.put("id", chain.id());
            c.put("chainId", chain.config().chainId());
            c.put("head", chain.servedHead());
            c.put("headAgeMs", chain.headAge().nanos() / 1_000_000);
            c.put("headStale", chain.headAge().isStale());
            c.put("headMovedBy", chain.headAge().movedBy());
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

    private HttpResponse drainOrRestore(ServiceRequestContext ctx, HttpRequest req) {
        String action = ctx.pathParam("action");
        if (!action.equals("drain") && !action.equals("restore")) {
            return error(HttpStatus.NOT_FOUND, "not_found", "no action " + action + " (expected: drain or restore)");
        }
        Optional<ChainUpstream> upstream = upstream(ctx.pathParam("chain"), ctx.pathParam("name"));
        if (upstream.isEmpty()) {
            return error(HttpStatus.NOT_FOUND, "not_found",
                    "no upstream " + ctx.pathParam("name") + " in chain " + ctx.pathParam("chain"));
        }
        ChainUpstream u = upstream.get();
        if (action.equals("drain")) {
            u.health().drain("by the admin API");
        } else {
            u.health().restore();
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("chain", ctx.pathParam("chain"));
        body.put("upstream", u.name());
        body.put("state", u.health().snapshot().state().label());
        body.put("drained", u.health().isDrained());
        return json(HttpStatus.OK, body);
    }

    private Optional<ChainUpstream> upstream(String chain, String name) {
        Chain c = chains.get(chain);
        return c == null ? Optional.empty() : c.upstreams().stream().filter(u -> u.name().equals(name)).findFirst();
    }
}
