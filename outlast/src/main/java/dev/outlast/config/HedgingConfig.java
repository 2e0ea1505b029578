package dev.outlast.config;

import java.time.Duration;

/**
 * When to ask a second upstream while the first is slower than usual.
 *
 * <p>The hedge delay is the chosen upstream's recent p90 latency, clamped to
 * {@code [minDelay, maxDelay]}.
 *
 * @param enabled  default {@code true}
 * @param minDelay default {@link #DEFAULT_MIN_DELAY}
 * @param maxDelay default {@link #DEFAULT_MAX_DELAY}
 */
public record HedgingConfig(boolean enabled, Duration minDelay, Duration maxDelay) {

    public static final Duration DEFAULT_MIN_DELAY = Duration.ofMillis(50);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(2);
    public static final HedgingConfig DEFAULT = new HedgingConfig(true, DEFAULT_MIN_DELAY, DEFAULT_MAX_DELAY);

    public HedgingConfig {
        if (minDelay.isNegative()) {
            throw new IllegalArgumentException("minDelay: " + minDelay + " (expected: >= 0)");
        }
        if (maxDelay.compareTo(minDelay) < 0) {
            throw new IllegalArgumentException("maxDelay: " + maxDelay + " (expected: >= minDelay)");
        }
    }
}
