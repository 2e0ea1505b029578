package dev.outlast.admin;

import static dev.outlast.admin.Html.escape;

import dev.outlast.attribution.Vendor;
import dev.outlast.health.HealthSnapshot;
import dev.outlast.incident.IncidentView;
import dev.outlast.monitor.Health;
import dev.outlast.monitor.Observation;
import dev.outlast.monitor.Subject;
import dev.outlast.monitor.SubjectView;
import dev.outlast.site.Origin;
import dev.outlast.site.Site;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * The status page's {@code Sites} section: every proxied site (id, host, whether it is served),
 * then each of its origins with the vendor configured in front of it, its routing state and reason,
 * and the monitor's verdict (with who generated the failures, edge or origin, when it is failing).
 * An origin that is not ok is marked so a person finds it at a glance. Everything is escaped;
 * origin URLs appear redacted only.
 *
 * <p>Thread-safe (stateless).
 */
final class SitesSection {

    static final String STYLE = ".site{padding:.5rem 0;border-top:1px solid #eef0f3}.site:first-of-type{border-top:none}"
            + ".site h3{font-size:1rem;margin:0 0 .25rem}.origin{display:flex;flex-wrap:wrap;gap:.5rem;"
            + "align-items:baseline;padding:.3rem 0 .3rem .75rem;border-left:3px solid #2da44e;margin:.25rem 0}"
            + ".origin.failing{border-left-color:#cf222e;background:#fff8f8}";

    private SitesSection() {
    }

    /** The section, or an empty string when no site is proxied. */
    static String render(Collection<Site> sites, Map<String, SubjectView> views) {
        if (sites.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder(2048);
        html.append("<section id=\"sites\"><h2>Sites</h2>");
        for (Site site : sites) {
            boolean ready = site.isReady();
            html.append("<article class=\"site\" data-site=\"").append(escape(site.id())).append("\"><h3>")
                .append(escape(site.id())).append(" <span class=\"reason\">").append(escape(site.config().host()))
                .append("</span> <span class=\"").append(ready ? "ok" : "bad").append("\">")
                .append(ready ? "serving" : "no usable origin").append("</span></h3>");
            for (Origin o : site.origins()) {
                origin(html, site, o, views.get(Subject.siteOrigin(site.id(), o.name()).id()));
            }
            html.append("</article>");
        }
        html.append("</section>");
        return html.toString();
    }

    private static void origin(StringBuilder html, Site site, Origin o, SubjectView view) {
        HealthSnapshot h = o.health().snapshot();
        Health verdict = view == null ? Health.OK : view.health();
        String configured = site.config().origins().stream().filter(c -> c.name().equals(o.name())).findFirst()
                .map(c -> c.vendor()).orElse(null);
        boolean failing = verdict != Health.OK || !o.health().isUsable();
        html.append("<div class=\"origin").append(failing ? " failing" : "").append("\" data-origin=\"")
            .append(escape(o.name())).append("\"><strong>").append(escape(o.name())).append("</strong>")
            .append("<span class=\"badge ").append(h.state().label()).append("\">").append(h.state().label())
            .append("</span>");
        if (configured != null) {
            html.append("<span class=\"reason vendor\">via ").append(escape(displayName(configured))).append("</span>");
        }
        html.append("<span class=\"reason\">").append(escape(o.redactedUrl())).append("</span>")
            .append(String.format(Locale.ROOT, "<span class=\"reason\">errors %.0f%%</span>", h.errorRate() * 100));
        if (failing) {
            html.append("<span class=\"reason why\">").append(escape(o.scrub(h.reason())));
            if (view != null && view.health() != Health.OK) {
                html.append(" &middot; monitor: ").append(view.health().label()).append(", ")
                    .append(escape(IncidentView.where(view.vendor(), view.source(), view.locations())));
            }
            html.append("</span>");
        }
        html.append("</div>");
    }

    private static String displayName(String label) {
        Vendor v = Observation.vendorOf(label);
        return v == Vendor.UNKNOWN ? label : v.displayName();
    }
}
