package dev.outlast.monitor;

import dev.outlast.attribution.Vendor;
import java.time.Instant;
import java.util.List;

/**
 * A subject changed state, or, while not ok, its attributed vendor or edge locations changed
 * ({@code from == to}).
 *
 * @param vendor    the vendor attributed from the subject's recent failures, else the subject's own
 *                  vendor, else {@link Vendor#UNKNOWN}
 * @param locations the edge locations seen in recent failures, in first-seen order
 * @param reason    human words: why it is in state {@code to}
 */
public record Transition(Subject subject, Health from, Health to, Vendor vendor, List<String> locations,
                         String reason, Instant at) {

    public Transition {
        locations = List.copyOf(locations);
    }

    /** Whether the state itself changed. */
    public boolean isStateChange() {
        return from != to;
    }
}
