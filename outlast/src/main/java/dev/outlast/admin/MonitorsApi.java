package dev.outlast.admin;

import static dev.outlast.admin.Responses.json;
import static dev.outlast.admin.Responses.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import dev.outlast.attribution.Vendor;
import dev.outlast.incident.IncidentJson;
import dev.outlast.incident.IncidentView;
import dev.outlast.monitor.SubjectView;
import dev.outlast.store.Uptime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/monitors}: every monitored subject with its state, reason, attribution, error
 * ratios, burn rate, latency and 90-day uptime.
 *
 * <p>Thread-safe; never blocks (uptime comes from the cache).
 */
final class MonitorsApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MonitoringView monitoring;
    private final Clock clock;

    MonitorsApi(MonitoringView monitoring, Clock clock) {
        this.monitoring = monitoring;
        this.clock = clock;
    }

    void routes(ServerBuilder sb) {
        sb.service("/api/v1/monitors", Endpoints.get((ctx, req) -> json(HttpStatus.OK, monitors())));
    }

    private ObjectNode monitors() {
        Instant now = clock.instant();
        Map<String, List<Uptime>> uptime = monitoring.uptime();
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("monitors");
        for (SubjectView v : monitoring.subjects()) {
            ObjectNode n = list.addObject();
            n.set("subject", IncidentJson.subject(v.subject()));
            n.put("state", v.health().label());
            n.put("reason", v.reason());
            n.put("since", v.since().toString());
            n.put("vendor", v.vendor() == Vendor.UNKNOWN ? null : v.vendor().label());
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
}
