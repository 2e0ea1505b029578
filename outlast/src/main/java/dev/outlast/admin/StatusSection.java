package dev.outlast.admin;

import static dev.outlast.admin.Html.escape;

import dev.outlast.config.MaintenanceWindow;
import dev.outlast.incident.IncidentBook;
import dev.outlast.incident.IncidentView;
import dev.outlast.incident.TimelineEntry;
import dev.outlast.monitor.Subject;
import dev.outlast.monitor.SubjectView;
import dev.outlast.store.Uptime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The monitor's part of {@code GET /status}: a summary line, open incidents first (vendor, edge
 * locations, who generated the failures, duration, grouped subjects), maintenance windows, the
 * sites with their origins ({@link SitesSection}) and the front doors ({@link FrontDoorsSection}),
 * every monitored subject with its state and 90-day
 * uptime bars, and the recent incident history. Everything is escaped.
 *
 * <p>Thread-safe (stateless).
 */
final class StatusSection {

    static final String STYLE = ".summary{font-weight:600}.summary.ok{border-color:#8ddb9c;background:#f0fff3}"
            + ".summary.bad{border-color:#ff8182;background:#fff5f5}"
            + ".incident{border-left:4px solid #cf222e;padding:.5rem .75rem;margin:.5rem 0;background:#fff8f8}"
            + ".incident.resolved{border-left-color:#8c959f;background:#f6f8fa}"
            + ".incident h3{font-size:1rem;margin:0 0 .25rem}.meta{color:#57606a;font-size:.85rem;margin:.15rem 0}"
            + ".bars{display:flex;gap:1px;height:22px;margin:.25rem 0}.bars i{flex:1;background:#d0d7de;border-radius:1px}"
            + ".bars i.g{background:#2da44e}.bars i.w{background:#d4a72c}.bars i.b{background:#cf222e}"
            + ".mon{padding:.5rem 0;border-top:1px solid #eef0f3}.mon:first-of-type{border-top:none}"
            + ".mon .top{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline}.mon .up{margin-left:auto;color:#57606a;font-size:.85rem}"
            + ".ok-badge{background:#dafbe1;color:#116329}.mw{margin:.25rem 0}"
            + "ul.hist{list-style:none;padding:0;margin:0}ul.hist li{padding:.35rem 0;border-top:1px solid #eef0f3}";

    static final String SCRIPT = "(function(){if(!window.EventSource)return;var s=document.getElementById('live');"
            + "var es=new EventSource('/status/events');es.onmessage=function(e){var d=JSON.parse(e.data);"
            + "document.getElementById('ops').innerHTML=d.ops;document.getElementById('chains').innerHTML=d.chains;"
            + "if(s)s.textContent='live, updated '+new Date().toLocaleTimeString();};"
            + "es.onerror=function(){if(s)s.textContent='live updates reconnecting';};})();";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm", Locale.ROOT);

    private StatusSection() {
    }

    static String render(List<IncidentView> open, List<IncidentView> recent, List<SubjectView> subjects,
                         Map<String, List<Uptime>> uptime, List<MaintenanceWindow> maintenance, String featuresHtml,
                         Instant now) {
        StringBuilder html = new StringBuilder(8192);
        List<IncidentView> top = open.stream().filter(i -> i.parentId() == null).toList();
        html.append("<section class=\"summary ").append(top.isEmpty() ? "ok" : "bad").append("\" id=\"summary\">")
            .append(top.isEmpty() ? "All monitored subjects operational"
                                  : top.size() + (top.size() == 1 ? " open incident" : " open incidents"))
            .append("</section>");
        if (!top.isEmpty()) {
            html.append("<section id=\"open-incidents\"><h2>Open incidents</h2>");
            for (IncidentView i : top) {
                incident(html, i, open, now);
            }
            html.append("</section>");
        }
        if (!maintenance.isEmpty()) {
            maintenance(html, maintenance, subjects, now);
        }
        html.append(featuresHtml);
        monitors(html, subjects, uptime, now);
        history(html, recent, now);
        return html.toString();
    }

    private static void incident(StringBuilder html, IncidentView i, List<IncidentView> all, Instant now) {
        boolean vendor = i.subject().kind() == Subject.Kind.VENDOR;
        html.append("<article class=\"incident ").append(i.state()).append("\" data-id=\"").append(escape(i.id()))
            .append("\"><h3><span class=\"badge ").append(i.open() ? i.severity().label() : "resolved").append("\">")
            .append(i.open() ? i.severity().label() : "resolved").append("</span> ")
            .append(escape(vendor ? i.vendor().displayName() + " incident" : i.subject().id())).append("</h3>")
            .append("<p class=\"meta\"><strong class=\"vendor\">").append(escape(i.whereWords())).append("</strong>");
        String configured = i.subject().kind() == Subject.Kind.VENDOR ? null : i.subject().vendor();
        if (configured != null && !configured.equalsIgnoreCase(String.valueOf(i.vendorLabel()))) {
            html.append(" &middot; configured vendor ").append(escape(configured));
        }
        html.append(" &middot; ").append(i.open() ? "for " : "lasted ").append("<span class=\"duration\">")
            .append(IncidentBook.words(i.duration(now))).append("</span> &middot; since ")
            .append(TIME.format(i.openedAt())).append("</p>");
        if (vendor) {
            html.append("<p class=\"meta\">affects: ");
            List<String> names = all.stream().filter(c -> i.id().equals(c.parentId()))
                    .map(c -> escape(c.subject().id()) + " (" + c.severity().label() + ")").toList();
            html.append(names.isEmpty() ? escape(String.join(", ", i.children())) : String.join(", ", names)).append("</p>");
        }
        if (!i.timeline().isEmpty()) {
            TimelineEntry first = i.timeline().get(0);
            TimelineEntry last = i.timeline().get(i.timeline().size() - 1);
            html.append("<p class=\"reason\">").append(escape(first.message()));
            if (last != first && !last.type().equals("attributed")) {
                html.append("<br>latest: ").append(escape(last.message()));
            }
            html.append("</p>");
        }
        if (i.acknowledgedBy() != null) {
            html.append("<p class=\"meta\">acknowledged by ").append(escape(i.acknowledgedBy())).append("</p>");
        }
        html.append("</article>");
    }

    private static void maintenance(StringBuilder html, List<MaintenanceWindow> windows, List<SubjectView> subjects,
                                    Instant now) {
        html.append("<section id=\"maintenance\"><h2>Maintenance</h2>");
        for (MaintenanceWindow w : windows) {
            html.append("<p class=\"mw\"><strong>").append(escape(w.name())).append("</strong> &middot; ");
            if (w.subject() != null) {
                html.append(escape(w.subject()));
            } else {
                List<String> behind = subjects.stream().filter(v -> w.vendor().equalsIgnoreCase(v.subject().vendor()))
                        .map(v -> v.subject().id()).toList();
                html.append("every subject behind ").append(escape(w.vendor()))
                    .append(behind.isEmpty() ? "" : " (" + escape(String.join(", ", behind)) + ")");
            }
            html.append(" &middot; ");
            var occurrence = w.currentOrNext(now);
            if (occurrence.isEmpty()) {
                html.append("over");
            } else {
                var o = occurrence.get();
                boolean active = !now.isBefore(o.start());
                html.append(active ? "<span class=\"badge degraded\">in progress</span> until " : "next: ")
                    .append(escape(LOCAL.format(o.start().atZone(w.zone())))).append(" to ")
                    .append(escape(LOCAL.format(o.end().atZone(w.zone())))).append(' ').append(escape(w.zone().getId()));
            }
            html.append("</p>");
        }
        html.append("</section>");
    }

    private static void monitors(StringBuilder html, List<SubjectView> subjects, Map<String, List<Uptime>> uptime,
                                 Instant now) {
        html.append("<section id=\"monitors\"><h2>Monitors &middot; 90-day uptime</h2>");
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        for (SubjectView v : subjects) {
            Map<LocalDate, Uptime> days = new HashMap<>();
            long ok = 0;
            long total = 0;
            for (Uptime u : uptime.getOrDefault(v.subject().id(), List.of())) {
                days.put(u.day(), u);
                ok += u.ok();
                total += u.ok() + u.failed();
            }
            String label = v.health().label();
            html.append("<div class=\"mon\" data-subject=\"").append(escape(v.subject().id())).append("\"><div class=\"top\">")
                .append("<strong>").append(escape(v.subject().id())).append("</strong><span class=\"badge ")
                .append(v.health() == dev.outlast.monitor.Health.OK ? "ok-badge" : label).append("\">").append(label)
                .append("</span>");
            if (v.vendor() != dev.outlast.attribution.Vendor.UNKNOWN) {
                html.append("<span class=\"reason\">")
                    .append(escape(IncidentView.where(v.vendor(), v.source(), v.locations()))).append("</span>");
            } else if (v.subject().vendor() != null) {
                html.append("<span class=\"reason\">via ")
                    .append(escape(dev.outlast.monitor.Observation.vendorOf(v.subject().vendor()).displayName()))
                    .append("</span>");
            }
            html.append("<span class=\"reason\">").append(String.format(Locale.ROOT, "errors %.1f%%", v.shortErrorRatio() * 100))
                .append(v.latencyMs() < 0 ? "" : String.format(Locale.ROOT, " &middot; %.0f ms", v.latencyMs()))
                .append("</span><span class=\"up\">")
                .append(total == 0 ? "no data yet" : String.format(Locale.ROOT, "%.2f%% uptime", 100.0 * ok / total))
                .append("</span></div><div class=\"bars\" role=\"img\" aria-label=\"90-day uptime of ")
                .append(escape(v.subject().id())).append("\">");
            for (int d = MonitoringView.UPTIME_DAYS - 1; d >= 0; d--) {
                LocalDate day = today.minusDays(d);
                Uptime u = days.get(day);
                double r = u == null ? -1 : u.ratio();
                String cls = r < 0 ? "" : r >= 0.999 ? "g" : r >= 0.95 ? "w" : "b";
                html.append("<i").append(cls.isEmpty() ? "" : " class=\"" + cls + "\"").append(" title=\"").append(day)
                    .append(r < 0 ? ": no data" : String.format(Locale.ROOT, ": %.2f%%", r * 100)).append("\"></i>");
            }
            html.append("</div>");
            if (v.health() != dev.outlast.monitor.Health.OK) {
                html.append("<p class=\"reason\">").append(escape(v.reason())).append("</p>");
            }
            html.append("</div>");
        }
        if (subjects.isEmpty()) {
            html.append("<p class=\"reason\">nothing monitored yet</p>");
        }
        html.append("</section>");
    }

    private static void history(StringBuilder html, List<IncidentView> recent, Instant now) {
        html.append("<section id=\"history\"><h2>Recent incidents</h2>");
        List<IncidentView> top = recent.stream().filter(i -> i.parentId() == null).limit(10).toList();
        if (top.isEmpty()) {
            html.append("<p class=\"reason\">no incidents recorded</p>");
        }
        for (IncidentView i : top) {
            incident(html, i, recent, now);
        }
        html.append("</section>");
    }
}
