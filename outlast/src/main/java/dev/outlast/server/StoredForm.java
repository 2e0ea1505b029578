package dev.outlast.server;

import dev.outlast.attribution.Source;
import dev.outlast.incident.IncidentView;
import dev.outlast.incident.TimelineEntry;
import dev.outlast.monitor.Health;
import dev.outlast.monitor.Observation;
import dev.outlast.monitor.Subject;
import dev.outlast.store.StoredIncident;
import java.util.List;

/** Converts incidents to and from their stored form. */
final class StoredForm {

    private StoredForm() {
    }

    static StoredIncident toStored(IncidentView i) {
        return new StoredIncident(i.id(), i.parentId(), i.subject().kind().label(), i.subject().id(),
                i.subject().group(), i.subject().name(), i.vendorLabel(), i.locations(), i.severity().label(),
                i.state(), i.openedAt(), i.resolvedAt(), i.acknowledgedBy(),
                i.timeline().stream().map(e -> new StoredIncident.Event(e.at(), e.type(), e.message())).toList(),
                i.generatedByLabel(), i.subject().vendor());
    }

    static IncidentView fromStored(StoredIncident s, List<String> children) {
        Health severity = Health.DOWN;
        for (Health h : Health.values()) {
            if (h.label().equals(s.severity())) {
                severity = h;
            }
        }
        Subject subject = new Subject(Subject.Kind.ofLabel(s.subjectKind()), s.subjectId(), s.subjectGroup(),
                s.subjectName(), s.subjectVendor());
        return new IncidentView(s.id(), s.parentId(), children, subject, "open".equals(s.state()), severity,
                s.vendor() == null ? dev.outlast.attribution.Vendor.UNKNOWN : Observation.vendorOf(s.vendor()),
                s.locations(), s.openedAt(), s.resolvedAt(), s.acknowledgedBy(),
                s.events().stream().map(e -> new TimelineEntry(e.at(), e.type(), e.message())).toList(),
                "vendor".equals(s.generatedBy()) ? Source.VENDOR : "origin".equals(s.generatedBy()) ? Source.ORIGIN
                        : Source.UNKNOWN);
    }
}
