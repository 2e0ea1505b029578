package dev.outlast.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import dev.outlast.config.MaintenanceWindow;
import dev.outlast.frontdoor.FrontDoors;
import dev.outlast.health.HealthSnapshot;
import dev.outlast.incident.IncidentView;
import dev.outlast.monitor.SubjectView;
import dev.outlast.routing.Chain;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.site.Site;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /status}: the server-rendered status page — the monitor's part (open incidents first,
 * maintenance, the sites, the front doors, 90-day uptime, recent incidents; see {@link StatusSection},
 * {@link SitesSection} and {@link FrontDoorsSection}), then every chain with its served head and every upstream's state, reason,
 * head, lag, latency and error rate. Plain HTML and CSS, readable without JavaScript (then it
 * refreshes itself every few seconds), on a phone and on a desktop; with JavaScript a small inline
 * script patches both parts from {@code /status/events} ({@link #livePayload}) without a reload.
 * URLs appear redacted only.
 *
 * <p>Thread-safe.
 */
final class StatusPage {

    static final int REFRESH_SECONDS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Collection<Chain> chains;
    private final Collection<Site> sites;
    private final FrontDoors frontDoors;
    private final MonitoringView monitoring;
    private final List<MaintenanceWindow> maintenance;

    StatusPage(Clock clock, Collection<Chain> chains, Collection<Site> sites, FrontDoors frontDoors,
               MonitoringView monitoring, List<MaintenanceWindow> maintenance) {
        this.clock = clock;
        this.chains = chains;
        this.sites = sites;
        this.frontDoors = frontDoors;
        this.monitoring = monitoring;
        this.maintenance = maintenance;
    }

    void routes(ServerBuilder sb) {
        sb.service("/status", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.HTML_UTF_8, render()));
    }

    /** The whole page: the monitor's part, then every chain. */
    String render() {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .append("<noscript><meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\"></noscript>")
            .append("<title>Outlast status</title><style>")
            .append("body{font:15px/1.4 system-ui,sans-serif;margin:0;padding:1rem;background:#f6f7f9;color:#1b1f24}")
            .append("main{max-width:1100px;margin:0 auto}")
            .append("h1{font-size:1.3rem;margin:0 0 1rem}h2{font-size:1.1rem;margin:0 0 .5rem}")
            .append("section{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:1rem;margin-bottom:1rem}")
            .append(".head{color:#57606a;margin:.25rem 0 .75rem}")
            .append(".wrap{overflow-x:auto}table{border-collapse:collapse;width:100%;min-width:640px}")
            .append("th,td{text-align:left;padding:.4rem .5rem;border-top:1px solid #eef0f3;vertical-align:top}")
            .append("th{font-weight:600;color:#57606a;font-size:.85rem}")
            .append(".badge{display:inline-block;padding:.1rem .5rem;border-radius:999px;font-size:.8rem;font-weight:600}")
            .append(".healthy{background:#dafbe1;color:#116329}.degraded,.lagging,.drained{background:#fff8c5;color:#7d4e00}")
            .append(".down,.quarantined,.misconfigured{background:#ffebe9;color:#a40e26}.resolved{background:#eaeef2;color:#424a53}")
            .append(".ok{color:#116329}.bad{color:#a40e26}.reason{color:#57606a;font-size:.85rem}")
            .append("footer{color:#57606a;font-size:.8rem}")
            .append(StatusSection.STYLE).append(SitesSection.STYLE).append(FrontDoorsSection.STYLE)
            .append("@media (max-width:600px){body{padding:.5rem}table{min-width:0}thead{display:none}table,tbody,tr,td{display:block}")
            .append("tr{border-top:1px solid #eef0f3;padding:.5rem 0}td{border:none;padding:.1rem 0}")
            .append("td[data-l]{display:inline-block;margin-right:1rem}td[data-l]::before{content:attr(data-l) \" \";")
            .append("color:#57606a;font-size:.85rem}}</style></head><body><main>")
            .append("<h1>Outlast status</h1><div id=\"ops\">").append(ops()).append("</div><div id=\"chains\">")
            .append(chains()).append("</div>");
        html.append("<footer>Rendered ").append(clock.instant()).append(" &middot; <span id=\"live\">refreshes every ")
            .append(REFRESH_SECONDS).append(" s</span> &middot; JSON at <a href=\"/api/v1/upstreams\">/api/v1/upstreams</a>, ")
            .append("<a href=\"/api/v1/incidents\">/api/v1/incidents</a>, <a href=\"/api/v1/monitors\">/api/v1/monitors</a>")
            .append(frontDoors.isEmpty() ? "" : ", <a href=\"/api/v1/frontdoors\">/api/v1/frontdoors</a>")
            .append("</footer></main><script>").append(StatusSection.SCRIPT).append("</script></body></html>");
        return html.toString();
    }

    /** The monitor's part: what the live updates replace in {@code <div id="ops">}. */
    String ops() {
        List<IncidentView> all = monitoring.incidents();
        List<SubjectView> views = monitoring.subjects();
        Map<String, SubjectView> byId = new HashMap<>();
        views.forEach(v -> byId.put(v.subject().id(), v));
        return StatusSection.render(all.stream().filter(IncidentView::open).toList(),
                all.stream().filter(i -> !i.open()).toList(), views, monitoring.uptime(), maintenance,
                SitesSection.render(sites, byId) + FrontDoorsSection.render(frontDoors.statuses()), clock.instant());
    }

    /** Every chain with every upstream: what the live updates replace in {@code <div id="chains">}. */
    String chains() {
        StringBuilder html = new StringBuilder(4096);
        for (Chain chain : chains) {
            boolean ready = chain.isReady();
            html.append("<section><h2>").append(escape(chain.id())).append(" <span class=\"")
                .append(ready ? "ok" : "bad").append("\">").append(ready ? "serving" : "no usable upstream")
                .append("</span></h2><p class=\"head\">chain id ").append(chain.config().chainId())
                .append(" &middot; head ").append(chain.servedHead() < 0 ? "unknown" : chain.servedHead())
                .append("</p><div class=\"wrap\"><table><thead><tr><th>upstream</th><th>state</th><th>head</th>")
                .append("<th>lag</th><th>latency</th><th>p90</th><th>errors</th></tr></thead><tbody>");
            for (ChainUpstream u : chain.upstreams()) {
                HealthSnapshot h = u.health().snapshot();
                html.append("<tr><td><strong>").append(escape(u.name())).append("</strong><br><span class=\"reason\">")
                    .append(escape(u.upstream().redactedUrl())).append("</span></td><td><span class=\"badge ")
                    .append(h.state().label()).append("\">").append(h.state().label()).append("</span><br>")
                    .append("<span class=\"reason\">").append(escape(u.upstream().redactor().scrub(h.reason())))
                    .append("</span></td><td data-l=\"head\">").append(h.head() < 0 ? "&ndash;" : String.valueOf(h.head()))
                    .append("</td><td data-l=\"lag\">").append(h.lag()).append("</td><td data-l=\"latency\">")
                    .append(millis(h.latencyMs())).append("</td><td data-l=\"p90\">").append(millis(h.p90Ms()))
                    .append("</td><td data-l=\"errors\">")
                    .append(String.format(Locale.ROOT, "%.0f%%", h.errorRate() * 100)).append("</td></tr>");
            }
            html.append("</tbody></table></div></section>");
        }
        return html.toString();
    }

    /** What {@code /status/events} sends: {@code {"ops": ..., "chains": ...}}, the two live parts. */
    String livePayload() {
        ObjectNode n = JSON.createObjectNode();
        n.put("ops", ops());
        n.put("chains", chains());
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String millis(double ms) {
        return ms < 0 ? "&ndash;" : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    static String escape(String text) {
        return Html.escape(text);
    }
}
