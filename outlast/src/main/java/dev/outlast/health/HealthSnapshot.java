package dev.outlast.health;

import dev.outlast.transport.FailureKind;
import java.time.Duration;

/**
 * A consistent copy of one endpoint's health (a chain upstream or a site origin) at one moment, for
 * the API and status page. A site origin has no head, lag or quarantine: -1, 0 and zero.
 *
 * <p>Immutable.
 *
 * @param latencyMs       mean latency, -1 when unknown
 * @param p90Ms           90th percentile latency, -1 when unknown
 * @param errorRate       exponentially weighted failure ratio in [0, 1]
 * @param quarantinedFor  time left in quarantine, zero when not quarantined
 */
public record HealthSnapshot(String name, HealthState state, String reason, long head, long lag,
                             double latencyMs, double p90Ms, double errorRate, long calls,
                             FailureKind lastFailure, String lastFailureDetail, Duration quarantinedFor) {
}
