package dev.outlast.incident;

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
 */
public record IncidentView(String id, String parentId, List<String> children, Subject subject, boolean open,
                           Health severity, Vendor vendor, List<String> locations, Instant openedAt,
                           Instant resolvedAt, String acknowledgedBy, List<TimelineEntry> timeline) {

    public IncidentView {
        children = List.copyOf(children);
        locations = List.copyOf(locations);
        timeline = List.copyOf(timeline);
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
