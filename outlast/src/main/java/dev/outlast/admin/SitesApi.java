package dev.outlast.admin;

import static dev.outlast.admin.Responses.json;
import static dev.outlast.admin.Responses.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import dev.outlast.health.HealthSnapshot;
import dev.outlast.site.Origin;
import dev.outlast.site.OriginFailure;
import dev.outlast.site.Site;
import java.util.Collection;
import java.util.Locale;

/**
 * {@code GET /api/v1/sites}: every site, its origins with their state and reason, and the vendor
 * attribution of their recent failures. Origin URLs appear redacted only.
 *
 * <p>Thread-safe.
 */
final class SitesApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Collection<Site> sites;

    SitesApi(Collection<Site> sites) {
        this.sites = sites;
    }

    void routes(ServerBuilder sb) {
        sb.service("/api/v1/sites", (ctx, req) -> json(HttpStatus.OK, sites()));
    }

    private ObjectNode sites() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("sites");
        for (Site site : sites) {
            ObjectNode s = list.addObject();
            s.put("id", site.id());
            s.put("host", site.config().host());
            s.put("ready", site.isReady());
            long[] stats = site.cacheStats();
            s.putObject("cache").put("entries", stats[0]).put("bytes", stats[1])
             .put("maxBytes", site.config().cacheBytes());
            ArrayNode origins = s.putArray("origins");
            for (Origin o : site.origins()) {
                HealthSnapshot h = o.health().snapshot();
                ObjectNode n = origins.addObject();
                n.put("name", o.name());
                n.put("url", o.redactedUrl());
                n.put("state", h.state().label());
                n.put("reason", o.scrub(h.reason()));
                n.put("usable", o.health().isUsable());
                n.put("latencyMs", round(h.latencyMs()));
                n.put("errorRate", round(h.errorRate()));
                n.put("calls", h.calls());
                ArrayNode failures = n.putArray("recentFailures");
                for (OriginFailure f : o.recentFailures()) {
                    ObjectNode fn = failures.addObject();
                    fn.put("at", f.at().toString());
                    fn.put("kind", f.kind().label());
                    if (f.status() > 0) {
                        fn.put("status", f.status());
                    }
                    fn.put("detail", f.detail());
                    fn.put("vendor", f.attribution().vendor().label());
                    fn.put("generatedBy", f.attribution().known()
                                          ? f.attribution().source().name().toLowerCase(Locale.ROOT)
                                          : "unknown");
                    if (f.attribution().location() != null) {
                        fn.put("location", f.attribution().location());
                    }
                    fn.put("signature", f.attribution().signature());
                    fn.put("notReceived", f.notReceived());
                }
            }
        }
        return root;
    }
}
