package dev.outlast.store;

import java.time.Instant;
import java.util.List;

/**
 * One incident as stored.
 *
 * @param vendor     a vendor label, or {@code null} when unknown
 * @param state      {@code open} or {@code resolved}
 * @param resolvedAt    {@code null} while open
 * @param generatedBy   {@code vendor}, {@code origin}, {@code unknown}, or {@code null} (stored before it was kept)
 * @param subjectVendor the vendor label configured in front of the subject, or {@code null}
 */
public record StoredIncident(String id, String parentId, String subjectKind, String subjectId, String subjectGroup,
                             String subjectName, String vendor, List<String> locations, String severity,
                             String state, Instant openedAt, Instant resolvedAt, String acknowledgedBy,
                             List<Event> events, String generatedBy, String subjectVendor) {

    /** One timeline entry. */
    public record Event(Instant at, String type, String message) {
    }

    public StoredIncident {
        locations = List.copyOf(locations);
        events = List.copyOf(events);
    }

    /** An incident without source or configured vendor. */
    public StoredIncident(String id, String parentId, String subjectKind, String subjectId, String subjectGroup,
                          String subjectName, String vendor, List<String> locations, String severity, String state,
                          Instant openedAt, Instant resolvedAt, String acknowledgedBy, List<Event> events) {
        this(id, parentId, subjectKind, subjectId, subjectGroup, subjectName, vendor, locations, severity, state,
                openedAt, resolvedAt, acknowledgedBy, events, null, null);
    }

    /** This incident with {@code newEvents} as its timeline. */
    StoredIncident withEvents(List<Event> newEvents) {
        return new StoredIncident(id, parentId, subjectKind, subjectId, subjectGroup, subjectName, vendor, locations,
                severity, state, openedAt, resolvedAt, acknowledgedBy, newEvents, generatedBy, subjectVendor);
    }
}
