package dev.outlast.incident;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of an incident's timeline.
 *
 * @param type {@code opened}, {@code attributed}, {@code updated}, {@code acknowledged}, {@code muted}
 *             or {@code resolved}
 */
public record TimelineEntry(Instant at, String type, String message) {

    public TimelineEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }
}
