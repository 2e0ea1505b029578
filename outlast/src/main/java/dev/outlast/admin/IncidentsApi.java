package dev.outlast.admin;

import static dev.outlast.admin.Responses.error;
import static dev.outlast.admin.Responses.json;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.outlast.incident.IncidentJson;
import dev.outlast.incident.IncidentView;
import java.time.Clock;
import java.util.List;

/**
 * The incidents API:
 * <ul>
 *   <li>{@code GET /api/v1/incidents[?state=open|resolved&limit=N]}: open incidents first (oldest
 *       first), then resolved ones, newest first, from this run and the history store</li>
 *   <li>{@code GET /api/v1/incidents/{id}}</li>
 *   <li>{@code POST /api/v1/incidents/{id}/acknowledge} (bearer token)</li>
 * </ul>
 * Errors as {@link Endpoints} says, and 400 for a bad {@code state} or {@code limit}, 404 for an
 * unknown id.
 *
 * <p>Thread-safe; never blocks (history comes from the cache).
 */
final class IncidentsApi {

    private final MonitoringView monitoring;
    private final Clock clock;
    private final Bearer bearer;

    IncidentsApi(MonitoringView monitoring, Clock clock, Bearer bearer) {
        this.monitoring = monitoring;
        this.clock = clock;
        this.bearer = bearer;
    }

    void routes(ServerBuilder sb) {
        sb.service("/api/v1/incidents", Endpoints.get(this::incidents));
        sb.service("/api/v1/incidents/{id}", Endpoints.get((ctx, req) -> monitoring.incidents().stream()
                .filter(i -> i.id().equals(ctx.pathParam("id"))).findFirst()
                .map(i -> json(HttpStatus.OK, IncidentJson.of(i, clock.instant())))
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "not_found", "no incident " + ctx.pathParam("id")))));
        sb.service("/api/v1/incidents/{id}/acknowledge", Endpoints.post(bearer, (ctx, req) -> monitoring
                .acknowledge(ctx.pathParam("id"), "admin API")
                .map(i -> json(HttpStatus.OK, IncidentJson.of(i, clock.instant())))
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "not_found",
                        "no incident " + ctx.pathParam("id") + " in this run"))));
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
        List<IncidentView> list = monitoring.incidents().stream().filter(i -> state == null || i.state().equals(state))
                .limit(limit).toList();
        return json(HttpStatus.OK, IncidentJson.list(list, clock.instant()));
    }
}
