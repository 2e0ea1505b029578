package dev.outlast.frontdoor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One front door as {@code GET /api/v1/frontdoors} and the status page show it.
 *
 * @param name           the front door's name
 * @param hostname       the steered hostname
 * @param ttl            the TTL written
 * @param failback       {@code auto} or {@code manual}
 * @param preferred      the preferred target
 * @param active         the target the record points at
 * @param pinned         the target an operator pinned it to, or {@code null}
 * @param lastChange     when the record last moved, or {@code null} since start
 * @param started        whether the current record was read at start (nothing is decided before)
 * @param lastDecision   the last move or hold, or {@code null}
 * @param lastDecisionAt when it was taken, or {@code null}
 * @param holding        the cause of the hold standing now ({@code origin_failing}, …), or {@code null}
 * @param targets        every target, in order of preference
 * @param providers      every DNS provider
 *
 * <p>Thread-safe (immutable).
 */
public record FrontDoorStatus(String name, String hostname, Duration ttl, String failback, String preferred,
                              String active, String pinned, Instant lastChange, boolean started,
                              Decision lastDecision, Instant lastDecisionAt, String holding, List<TargetStatus> targets,
                              List<ProviderStatus> providers) {

    public FrontDoorStatus {
        targets = List.copyOf(targets);
        providers = List.copyOf(providers);
    }
}
