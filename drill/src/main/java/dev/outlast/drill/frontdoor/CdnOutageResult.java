package dev.outlast.drill.frontdoor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the {@value CdnOutage#NAME} drill saw: per phase, the fetches of the user steered through
 * Outlast's DNS and of the user always reaching the first CDN; every move of the record.
 *
 * @param complete whether every phase ran to its end
 *
 * <p>Thread-safe (immutable).
 */
public record CdnOutageResult(Instant startedAt, List<PhaseOutcome> phases, List<Move> moves, boolean complete) {

    /**
     * The most seconds with errors users may see in a CDN outage: the default detection (three probes
     * two seconds apart, each at most two seconds long) plus the TTL of 5 s, with room for the write.
     */
    public static final int MAX_ERROR_SECONDS = 20;

    public CdnOutageResult {
        phases = List.copyOf(phases);
        moves = List.copyOf(moves);
    }

    /** What one user saw in a phase. */
    public record Tally(int requests, int errors, int errorSeconds) {

        /** Counts {@code fetches}; a second (counted from {@code from}) with any failed fetch is an error second. */
        static Tally of(List<HostnameUser.Fetch> fetches, Instant from) {
            int errors = 0;
            java.util.Set<Long> seconds = new java.util.HashSet<>();
            for (HostnameUser.Fetch f : fetches) {
                if (f.failed()) {
                    errors++;
                    seconds.add(Duration.between(from, f.at()).toSeconds());
                }
            }
            return new Tally(fetches.size(), errors, seconds.size());
        }
    }

    /** One phase: how long it lasted, and what each user saw. */
    public record PhaseOutcome(CdnOutage.Phase phase, Duration lasted, Tally steered, Tally fixed) {
    }

    /** The record moved, {@code at} after the start. */
    public record Move(Duration at, String phase, String from, String to, String reason) {
    }

    /**
     * Whether steering did its job: in a Cloudflare outage users saw errors for at most
     * {@value #MAX_ERROR_SECONDS} s and for fewer seconds than without steering; with the origin down
     * no more than without; no errors where nothing failed.
     */
    public boolean passed() {
        for (PhaseOutcome p : phases) {
            boolean ok;
            if (p.phase().cloudflarePage() != 0) {
                ok = p.steered().errorSeconds() <= MAX_ERROR_SECONDS
                     && p.steered().errorSeconds() < p.fixed().errorSeconds();
            } else if (p.phase().originDown()) {
                ok = p.steered().errorSeconds() <= p.fixed().errorSeconds();
            } else {
                ok = p.steered().errors() == 0;
            }
            if (!ok) {
                return false;
            }
        }
        return complete;
    }
}
