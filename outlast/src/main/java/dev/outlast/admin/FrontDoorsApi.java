package dev.outlast.admin;

import static dev.outlast.admin.Responses.error;
import static dev.outlast.admin.Responses.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.outlast.frontdoor.Decision;
import dev.outlast.frontdoor.FrontDoor;
import dev.outlast.frontdoor.FrontDoorJson;
import dev.outlast.frontdoor.FrontDoors;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * The front doors API:
 * <ul>
 *   <li>{@code GET /api/v1/frontdoors} and {@code GET /api/v1/frontdoors/{name}}: the active target,
 *       every target's state and last probe, every DNS provider's last write and read-back, the pin
 *       ({@link FrontDoorJson})</li>
 *   <li>{@code POST /api/v1/frontdoors/{name}/pin} {@code {"target": "cloudfront"}}: pins the record
 *       to a target (moving it there now) until unpinned</li>
 *   <li>{@code POST /api/v1/frontdoors/{name}/unpin}</li>
 *   <li>{@code POST /api/v1/frontdoors/{name}/move} {@code {"target": "cloudflare"}}: moves the
 *       record now; automatic steering goes on from there</li>
 * </ul>
 * Writes need the admin token and answer {@code {"decision": {...}, "frontDoor": {...}}}. Errors as
 * {@link Endpoints} says, and 404 for an unknown front door or action, 400 for a missing or unknown
 * target, 409 for a move while pinned to another target.
 *
 * <p>Thread-safe.
 */
final class FrontDoorsApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHO = "the admin API";

    private final FrontDoors doors;
    private final Bearer bearer;

    FrontDoorsApi(FrontDoors doors, Bearer bearer) {
        this.doors = doors;
        this.bearer = bearer;
    }

    void routes(ServerBuilder sb) {
        sb.service("/api/v1/frontdoors", Endpoints.get((ctx, req) -> json(HttpStatus.OK,
                FrontDoorJson.list(doors.statuses()))));
        sb.service("/api/v1/frontdoors/{name}", Endpoints.get((ctx, req) -> door(ctx)
                .map(d -> json(HttpStatus.OK, FrontDoorJson.of(d.status())))
                .orElseGet(() -> unknown(ctx))));
        sb.service("/api/v1/frontdoors/{name}/{action}", Endpoints.post(bearer, (ctx, req) ->
                HttpResponse.of(req.aggregate().thenApply(body -> act(ctx, body)))));
    }

    private HttpResponse act(ServiceRequestContext ctx, AggregatedHttpRequest body) {
        Optional<FrontDoor> door = door(ctx);
        if (door.isEmpty()) {
            return unknown(ctx);
        }
        String action = ctx.pathParam("action");
        if (action.equals("unpin")) {
            boolean was = door.get().unpin(WHO);
            ObjectNode out = JSON.createObjectNode().put("unpinned", was);
            out.set("frontDoor", FrontDoorJson.of(door.get().status()));
            return json(HttpStatus.OK, out);
        }
        if (!action.equals("pin") && !action.equals("move")) {
            return error(HttpStatus.NOT_FOUND, "not_found", "no action " + action + " (expected: pin, unpin or move)");
        }
        String target = target(body);
        if (target == null) {
            return error(HttpStatus.BAD_REQUEST, "bad_request", "target: missing (expected: a JSON body "
                    + "{\"target\": NAME} naming one of " + String.join(", ", targets(door.get())) + ")");
        }
        Decision decision;
        try {
            decision = action.equals("pin") ? door.get().pin(target, WHO) : door.get().force(target, WHO);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, "bad_request", e.getMessage());
        } catch (IllegalStateException e) {
            return error(HttpStatus.CONFLICT, "conflict", e.getMessage());
        }
        ObjectNode out = JSON.createObjectNode();
        out.putObject("decision").put("kind", decision.kind().name().toLowerCase(Locale.ROOT))
                .put("cause", decision.cause()).put("target", decision.target()).put("reason", decision.reason());
        out.set("frontDoor", FrontDoorJson.of(door.get().status()));
        return json(HttpStatus.OK, out);
    }

    /** The body's {@code target}, or null when the body is not {@code {"target": "..."}}. */
    private static String target(AggregatedHttpRequest body) {
        try {
            JsonNode json = JSON.readTree(body.contentUtf8());
            return json != null && json.path("target").isTextual() ? json.get("target").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static java.util.List<String> targets(FrontDoor door) {
        return door.config().targets().stream().map(t -> t.name()).toList();
    }

    private Optional<FrontDoor> door(ServiceRequestContext ctx) {
        return doors.get(ctx.pathParam("name"));
    }

    private static HttpResponse unknown(ServiceRequestContext ctx) {
        return error(HttpStatus.NOT_FOUND, "not_found", "no front door " + ctx.pathParam("name"));
    }
}
