package dev.outlast.store;

import java.time.Instant;
import java.util.List;

/**
 * One incident as stored.
 *
 * @param vendor     a vendor label, or {@code null} when unknown
 * @param state      {@code open} or {@code resolved}
 * @param resolvedAt {@code null} while open
 */
public record StoredIncident(String id, String parentId, String subjectKind, String subjectId, String subjectGroup,
                             String subjectName, String vendor, List<String> locations, String severity,
                             String state, Instant openedAt, Instant resolvedAt, String acknowledgedBy,
                             List<Event> events) {

    /** One timeline entry. */
    public record Event(Instant at, String type, String message) {
    }

    public StoredIncident {
        locations = List.copyOf(locations);
        events = List.copyOf(events);
    }
}
