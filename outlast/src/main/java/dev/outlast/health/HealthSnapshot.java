package dev.outlast.health;

import dev.outlast.transport.FailureKind;
import java.time.Duration;

/**
 * A consistent view of one upstream's health at one moment, for the API, metrics and status page.
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
