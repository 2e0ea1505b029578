package dev.outlast.admin;

import static dev.outlast.admin.Html.escape;

import dev.outlast.frontdoor.FrontDoorStatus;
import dev.outlast.frontdoor.ProviderStatus;
import dev.outlast.frontdoor.TargetStatus;
import dev.outlast.frontdoor.dns.RecordSet;
import java.util.List;

/**
 * The status page's {@code Front doors} section: every steered hostname with the target its record
 * points at (and whether that is the preferred one, or pinned), the reason for the last move or the
 * hold standing now; then each target with its state and last probe, and each DNS provider with its
 * state, what it serves and its last error in its own words. A failing target or provider is marked
 * so a person finds it at a glance. Everything is escaped.
 *
 * <p>Thread-safe (stateless).
 */
final class FrontDoorsSection {

    static final String STYLE = ".door{padding:.5rem 0;border-top:1px solid #eef0f3}.door:first-of-type{border-top:none}"
            + ".door h3{font-size:1rem;margin:0 0 .25rem}";

    private FrontDoorsSection() {
    }

    /** The section, or an empty string when no front door is configured. */
    static String render(List<FrontDoorStatus> doors) {
        if (doors.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder(2048);
        html.append("<section id=\"frontdoors\"><h2>Front doors</h2>");
        for (FrontDoorStatus d : doors) {
            boolean preferred = d.active().equals(d.preferred());
            html.append("<article class=\"door\" data-door=\"").append(escape(d.name())).append("\"><h3>")
                .append(escape(d.hostname())).append(" &rarr; <span class=\"active ").append(preferred ? "ok" : "bad")
                .append("\">").append(escape(d.active())).append("</span> <span class=\"reason\">")
                .append(preferred ? "preferred" : "preferred: " + escape(d.preferred()))
                .append(d.pinned() == null ? "" : " &middot; pinned to " + escape(d.pinned()))
                .append(" &middot; ttl ").append(d.ttl().toSeconds()).append(" s &middot; failback ")
                .append(escape(d.failback())).append(d.started() ? "" : " &middot; reading the current record")
                .append("</span></h3>");
            if (d.lastDecision() != null && d.lastDecision().reason() != null) {
                html.append("<p class=\"reason why\">").append(d.holding() != null ? "holding: " : "last move: ")
                    .append(escape(d.lastDecision().reason())).append("</p>");
            }
            for (TargetStatus t : d.targets()) {
                boolean failing = t.state().equals("failing") || t.drainedBy() != null;
                html.append("<div class=\"origin").append(failing ? " failing" : "").append("\" data-target=\"")
                    .append(escape(t.name())).append("\"><strong>").append(escape(t.name())).append("</strong>")
                    .append("<span class=\"badge ").append(t.state().equals("passing") ? "healthy" : "down")
                    .append("\">").append(escape(t.state())).append("</span>");
                if (t.last() != null) {
                    html.append("<span class=\"reason\">").append(escape(t.last().words())).append("</span>");
                }
                if (t.drainedBy() != null) {
                    html.append("<span class=\"reason\">drained by ").append(escape(t.drainedBy())).append("</span>");
                }
                html.append("</div>");
            }
            for (ProviderStatus p : d.providers()) {
                boolean failing = p.error() != null;
                html.append("<div class=\"origin").append(failing ? " failing" : "").append("\" data-provider=\"")
                    .append(escape(p.provider())).append("\"><strong>").append(escape(p.provider())).append("</strong>")
                    .append("<span class=\"badge ").append(failing ? "down" : "healthy").append("\">")
                    .append(escape(p.state())).append("</span><span class=\"reason\">serves ")
                    .append(escape(records(p.read(), p.readNothing()))).append("</span>");
                if (failing) {
                    html.append("<span class=\"reason why\">").append(escape(p.error())).append(" (")
                        .append(p.failures()).append(p.failures() == 1 ? " failure" : " failures").append(")</span>");
                }
                html.append("</div>");
            }
            html.append("</article>");
        }
        html.append("</section>");
        return html.toString();
    }

    private static String records(RecordSet read, boolean nothing) {
        if (read == null) {
            return nothing ? "no record" : "unknown";
        }
        return read.type() + " " + String.join(", ", read.values());
    }
}
