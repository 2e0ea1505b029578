package dev.outlast.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.monitor.Subject;
import java.time.Instant;
import java.util.Collection;

/**
 * The JSON form of incidents, shared by {@code GET /api/v1/incidents} and the JSON webhook:
 * {@code {"id", "state", "subject", "vendor", "locations", "openedAt", "resolvedAt", "timeline"}}, plus
 * {@code severity}, {@code durationSeconds}, {@code parentId}, {@code children},
 * {@code acknowledgedBy}, {@code generatedBy} ({@code vendor}: the vendor's edge generated the
 * failures, {@code origin}: the origin behind it did, {@code unknown}) and {@code where}
 * (the same in words: {@code Cloudflare (edge) at FRA}). The subject carries its
 * {@code configuredVendor} (the {@code vendor:} key of its upstream or origin, or {@code null}).
 * Times are ISO-8601 UTC; {@code vendor} and {@code resolvedAt} are {@code null} when unknown or
 * still open.
 *
 * <p>Thread-safe (stateless).
 */
public final class IncidentJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IncidentJson() {
    }

    /** {@code {"incidents": [...]}}. */
    public static ObjectNode list(Collection<IncidentView> incidents, Instant now) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("incidents");
        incidents.forEach(i -> list.add(of(i, now)));
        return root;
    }

    public static ObjectNode of(IncidentView i, Instant now) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", i.id());
        n.put("state", i.state());
        n.set("subject", subject(i.subject()));
        n.put("vendor", i.vendorLabel());
        ArrayNode locations = n.putArray("locations");
        i.locations().forEach(locations::add);
        n.put("openedAt", i.openedAt().toString());
        n.put("resolvedAt", i.resolvedAt() == null ? null : i.resolvedAt().toString());
        ArrayNode timeline = n.putArray("timeline");
        for (TimelineEntry e : i.timeline()) {
            timeline.addObject().put("at", e.at().toString()).put("type", e.type()).put("message", e.message());
        }
        n.put("severity", i.severity().label());
        n.put("durationSeconds", i.duration(now).toSeconds());
        n.put("parentId", i.parentId());
        ArrayNode children = n.putArray("children");
        i.children().forEach(children::add);
        n.put("acknowledgedBy", i.acknowledgedBy());
        n.put("generatedBy", i.generatedByLabel());
        n.put("where", i.whereWords());
        return n;
    }

    public static ObjectNode subject(Subject s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", s.kind().label());
        n.put("id", s.id());
        n.put("group", s.group());
        n.put("name", s.name());
        n.put("configuredVendor", s.kind() == Subject.Kind.VENDOR ? null : s.vendor());
        return n;
    }

    /** One line for people (Slack, logs): what, since when, which vendor, where. */
    public static String text(Alert alert, Instant now) {
        IncidentView i = alert.incident();
        String what = i.subject().kind() == Subject.Kind.VENDOR
                ? i.vendor().displayName() + " incident (" + i.children().size() + " subjects)"
                : i.subject().id() + " " + i.severity().label();
        String vendor = i.vendorLabel() == null ? "vendor unknown" : "attributed to " + i.whereWords();
        return switch (alert.event()) {
            case OPENED -> "Incident opened: " + what + ", " + vendor + " [" + i.id() + "]";
            case VENDOR_CHANGED -> "Incident re-attributed: " + what + ", now " + vendor + " [" + i.id() + "]";
            case NOTE -> (i.timeline().size() == 1 ? "Incident opened: " : "Incident updated: ") + what + ": "
                    + i.timeline().get(i.timeline().size() - 1).message() + " [" + i.id() + "]";
            case RESOLVED -> "Incident resolved after " + IncidentBook.words(i.duration(now)) + ": " + what + ", "
                    + vendor + " [" + i.id() + "]";
        };
    }
}
