package dev.outlast.incident;

import dev.outlast.attribution.Source;
import dev.outlast.attribution.Vendor;
import dev.outlast.monitor.Health;
import dev.outlast.monitor.Subject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An immutable copy of one incident.
 *
 * @param parentId       the vendor incident this one is grouped under, or {@code null}
 * @param children       for a vendor incident: the ids of its children
 * @param severity       the worst state the subject reached
 * @param vendor         the attributed vendor, {@link Vendor#UNKNOWN} when none
 * @param resolvedAt     {@code null} while open
 * @param acknowledgedBy {@code null} until acknowledged
 * @param generatedBy    whether the vendor's edge ({@link Source#VENDOR}) or the origin behind it
 *                       ({@link Source#ORIGIN}) generated the failures, {@link Source#UNKNOWN} when
 *                       not known (no attribution, or a vendor known from configuration only)
 */
public record IncidentView(String id, String parentId, List<String> children, Subject subject, boolean open,
                           Health severity, Vendor vendor, List<String> locations, Instant openedAt,
                           Instant resolvedAt, String acknowledgedBy, List<TimelineEntry> timeline,
                           Source generatedBy) {

    public IncidentView {
        children = List.copyOf(children);
        locations = List.copyOf(locations);
        timeline = List.copyOf(timeline);
    }

    /** An incident whose failures' source is not known. */
    public IncidentView(String id, String parentId, List<String> children, Subject subject, boolean open,
                        Health severity, Vendor vendor, List<String> locations, Instant openedAt, Instant resolvedAt,
                        String acknowledgedBy, List<TimelineEntry> timeline) {
        this(id, parentId, children, subject, open, severity, vendor, locations, openedAt, resolvedAt, acknowledgedBy,
                timeline, Source.UNKNOWN);
    }

    /**
     * Who generated the failures, in the words {@code GET /api/v1/sites} uses: {@code vendor} (the
     * vendor's edge), {@code origin}, or {@code unknown}.
     */
    public String generatedByLabel() {
        return label(generatedBy);
    }

    /** {@code vendor}, {@code origin} or {@code unknown}. */
    public static String label(Source source) {
        return source.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Where it fails, in words: {@code Cloudflare (edge) at FRA}, {@code origin behind Cloudflare (via FRA)},
     * {@code Cloudflare at FRA} when the source is not known, {@code vendor unknown} without a vendor.
     */
    public String whereWords() {
        return where(vendor, generatedBy, locations);
    }

    /** {@link #whereWords} for any vendor, source and edge locations. */
    public static String where(Vendor vendor, Source source, java.util.Collection<String> locations) {
        if (vendor == Vendor.UNKNOWN) {
            return "vendor unknown";
        }
        String at = locations.isEmpty() ? "" : String.join(", ", locations);
        return switch (source) {
            case VENDOR -> vendor.displayName() + " (edge)" + (at.isEmpty() ? "" : " at " + at);
            case ORIGIN -> "origin behind " + vendor.displayName() + (at.isEmpty() ? "" : " (via " + at + ")");
            case UNKNOWN -> vendor.displayName() + (at.isEmpty() ? "" : " at " + at);
        };
    }

    /** {@code open} or {@code resolved}. */
    public String state() {
        return open ? "open" : "resolved";
    }

    /** How long it lasted, or has lasted by {@code now}. */
    public Duration duration(Instant now) {
        return Duration.between(openedAt, resolvedAt != null ? resolvedAt : now);
    }

    /** The vendor label, or {@code null} when unknown. */
    public String vendorLabel() {
        return vendor == Vendor.UNKNOWN ? null : vendor.label();
    }
}
