package dev.outlast.monitor;

import dev.outlast.attribution.Source;
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
 * @param attributed whether {@code vendor} was attributed from failed responses (else it is the
 *                   subject's configured vendor, or unknown)
 * @param source     whether the vendor's edge or the origin behind it generated the attributed
 *                   failures, {@link Source#UNKNOWN} when not attributed or not known
 */
public record Transition(Subject subject, Health from, Health to, Vendor vendor, List<String> locations,
                         String reason, Instant at, boolean attributed, Source source) {

    public Transition {
        locations = List.copyOf(locations);
    }

    /** A transition whose vendor, if any, is not known to come from attribution. */
    public Transition(Subject subject, Health from, Health to, Vendor vendor, List<String> locations, String reason,
                      Instant at) {
        this(subject, from, to, vendor, locations, reason, at, false, Source.UNKNOWN);
    }

    /** Whether the state itself changed. */
    public boolean isStateChange() {
        return from != to;
    }
}
