package dev.outlast.incident;

import dev.outlast.attribution.Source;
import dev.outlast.attribution.Vendor;
import dev.outlast.monitor.Health;
import dev.outlast.monitor.Subject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The mutable state of one incident. Not thread-safe: guarded by the owning {@link IncidentBook}.
 */
final class Incident {

    final String id;
    final Subject subject;
    final Instant openedAt;
    final List<TimelineEntry> timeline = new ArrayList<>();
    final Set<String> locations = new LinkedHashSet<>();
    final List<Incident> children = new ArrayList<>();
    Incident parent;
    Health severity;
    Vendor vendor = Vendor.UNKNOWN;
    Source source = Source.UNKNOWN;
    Instant resolvedAt;
    String acknowledgedBy;
    /** When the open alert is due (after the grouping wait). */
    Instant alertDue;
    boolean alerted;
    boolean muted;
    Vendor alertedVendor = Vendor.UNKNOWN;

    Incident(String id, Subject subject, Health severity, Instant openedAt) {
        this.id = id;
        this.subject = subject;
        this.severity = severity;
        this.openedAt = openedAt;
    }

    boolean isOpen() {
        return resolvedAt == null;
    }

    void log(Instant at, String type, String message) {
        timeline.add(new TimelineEntry(at, type, message));
    }

    IncidentView view() {
        return new IncidentView(id, parent == null ? null : parent.id, children.stream().map(c -> c.id).toList(),
                subject, isOpen(), severity, vendor, List.copyOf(locations), openedAt, resolvedAt, acknowledgedBy,
                timeline, source);
    }
}
