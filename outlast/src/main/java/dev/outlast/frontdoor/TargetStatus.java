package dev.outlast.frontdoor;

import java.time.Instant;

/**
 * One target as the decision sees it now, for the API and the status page.
 *
 * @param name         the target's name
 * @param vendor       its configured vendor label, or {@code null}
 * @param state        {@code passing}, {@code failing} or {@code unknown} (not probed yet)
 * @param last         the last probe's result, or {@code null}
 * @param lastAt       when it came, or {@code null}
 * @param failStreak   consecutive failed probes
 * @param passingSince since when every probe passed, or {@code null}
 * @param drainedBy    the maintenance window draining it now, or {@code null}
 *
 * <p>Thread-safe (immutable).
 */
public record TargetStatus(String name, String vendor, String state, ProbeResult last, Instant lastAt,
                           int failStreak, Instant passingSince, String drainedBy) {
}
