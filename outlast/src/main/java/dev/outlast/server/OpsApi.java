package dev.outlast.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.outlast.incident.IncidentJson;
import dev.outlast.incident.IncidentView;
import dev.outlast.monitor.SubjectView;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.store.Uptime;
import java.time.Instant;
import java.util.List;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The monitor's JSON API:
 * <ul>
 *   <li>{@code GET /api/v1/incidents[?state=open|resolved&limit=N]} and {@code GET /api/v1/incidents/{id}}</li>
 *   <li>{@code POST /api/v1/incidents/{id}/acknowledge} (bearer token)</li>
 *   <li>{@code GET /api/v1/monitors}</li>
 *   <li>{@code POST /api/v1/upstreams/{chain}/{name}/drain} and {@code .../restore} (bearer token)</li>
 * </ul>
 * Errors are JSON {@code {"error": {"code", "message"}}}: 400 bad parameter, 401 no bearer token,
 * 403 wrong token or writes disabled, 404 unknown id, 405 wrong method.
 *
 * <p>Thread-safe; never blocks (history comes from the cache).
 */
final class OpsApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Monitoring ops;
    private final Bearer bearer;

    OpsApi(Monitoring ops, Bearer bearer) {
        this.ops = ops;
        this.bearer = bearer;
    }

    void routes(ServerBuilder sb) {
        sb.service("/api/v1/incidents", get(this::incidents));
        sb.service("/api/v1/incidents/{id}", get((ctx, req) -> ops.incidents().stream()
                .filter(i -> i.id().equals(ctx.pathParam("id"))).findFirst()
                .map(i -> json(HttpStatus.OK, IncidentJson.of(i, ops.clock().instant())))
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "not_found", "no incident " + ctx.pathParam("id")))));
        sb.service("/api/v1/incidents/{id}/acknowledge", post((ctx, req) -> ops.book()
                .acknowledge(ctx.pathParam("id"), "admin API")
                .map(i -> json(HttpStatus.OK, IncidentJson.of(i, ops.clock().instant())))
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "not_found",
                        "no incident " + ctx.pathParam("id") + " in this run"))));
        sb.service("/api/v1/monitors", get((ctx, req) -> json(HttpStatus.OK, monitors())));
        sb.service("/api/v1/upstreams/{chain}/{name}/{action}", post(this::drainOrRestore));
    }

    private HttpResponse incidents(ServiceRequestContext ctx, HttpRequest req) {
        String state = ctx.queryParam("state");
        if (state != null && !state.equals("open") && !state.equals("resolved")) {
            return error(HttpStatus.BAD_REQUEST, "bad_request", "state: \"" + state + "\" (expected: open or resolved)");
        }
        int limit = 100;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                return error(HttpStatus.BAD_REQUEST, "bad_request", "limit: \"" + l + "\" (expected: 1..1000)");
            }
        }
        List<IncidentView> list = ops.incidents().stream().filter(i -> state == null || i.state().equals(state))
                .limit(limit).toList();
        return json(HttpStatus.OK, IncidentJson.list(list, ops.clock().instant()));
    }

    private ObjectNode monitors() {
        Instant now = ops.clock().instant();
        Map<String, List<Uptime>> uptime = ops.history().cached().uptime();
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("monitors");
        for (SubjectView v : ops.monitor().views()) {
            ObjectNode n = list.addObject();
            n.set("subject", IncidentJson.subject(v.subject()));
            n.put("state", v.health().label());
            n.put("reason", v.reason());
            n.put("since", v.since().toString());
            n.put("vendor", v.vendor() == dev.outlast.attribution.Vendor.UNKNOWN ? null : v.vendor().label());
            n.put("generatedBy", IncidentView.label(v.source()));
            ArrayNode locations = n.putArray("locations");
            v.locations().forEach(locations::add);
            n.put("calls", v.calls());
            n.put("failures", v.failures());
            n.put("errorRatioShort", round(v.shortErrorRatio()));
            n.put("errorRatioLong", round(v.longErrorRatio()));
            n.put("burnRate", round(v.burnRate()));
            n.put("latencyMs", round(v.latencyMs()));
            long ok = 0;
            long total = 0;
            for (Uptime u : uptime.getOrDefault(v.subject().id(), List.of())) {
                ok += u.ok();
                total += u.ok() + u.failed();
            }
            if (total == 0) {
                n.putNull("uptime90d");
            } else {
                n.put("uptime90d", round((double) ok / total));
            }
        }
        root.put("at", now.toString());
        return root;
    }

    private HttpResponse drainOrRestore(ServiceRequestContext ctx, HttpRequest req) {
        String action = ctx.pathParam("action");
        if (!action.equals("drain") && !action.equals("restore")) {
            return error(HttpStatus.NOT_FOUND, "not_found", "no action " + action + " (expected: drain or restore)");
        }
        Optional<ChainUpstream> upstream = ops.upstream(ctx.pathParam("chain"), ctx.pathParam("name"));
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

    private static BiFunction<ServiceRequestContext, HttpRequest, HttpResponse> guard(
            HttpMethod method, BiFunction<ServiceRequestContext, HttpRequest, HttpResponse> handler) {
        return (ctx, req) -> {
            if (req.method() != method) {
                return error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                        req.method() + " is not allowed here (expected: " + method + ")");
            }
            return handler.apply(ctx, req);
        };
    }

    private com.linecorp.armeria.server.HttpService get(
            BiFunction<ServiceRequestContext, HttpRequest, HttpResponse> handler) {
        BiFunction<ServiceRequestContext, HttpRequest, HttpResponse> g = guard(HttpMethod.GET, handler);
        return g::apply;
    }

    private com.linecorp.armeria.server.HttpService post(
            BiFunction<ServiceRequestContext, HttpRequest, HttpResponse> handler) {
        BiFunction<ServiceRequestContext, HttpRequest, HttpResponse> g = guard(HttpMethod.POST, (ctx, req) -> {
            Bearer.Verdict v = bearer.check(req.headers().get("authorization"));
            if (!v.allowed()) {
                HttpResponse denied = error(HttpStatus.valueOf(v.status()), v.code(), v.message());
                return v.status() == 401 ? denied.mapHeaders(h -> h.toBuilder().add("www-authenticate", "Bearer").build())
                                         : denied;
            }
            return handler.apply(ctx, req);
        });
        return g::apply;
    }

    static HttpResponse json(HttpStatus status, ObjectNode body) {
        try {
            return HttpResponse.of(ResponseHeaders.of(status, "content-type", MediaType.JSON_UTF_8.toString()),
                    HttpData.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse error(HttpStatus status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        return json(status, body);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

}
