package dev.outlast.health;

import java.util.Locale;

/** The state of one endpoint (a chain upstream or a site origin) as shown in the API, metrics and status page. */
public enum HealthState {
    /** Serving normally. */
    HEALTHY,
    /** Serving, but with errors, rate limits or recovering; gets less traffic. */
    DEGRADED,
    /** Behind the chain's head by more than the allowed lag. */
    LAGGING,
    /** Failing; only probes are sent until it recovers. */
    DOWN,
    /** Caught giving a wrong answer; excluded for a backoff period. */
    QUARANTINED,
    /** Serves another chain (wrong {@code eth_chainId}); one not verified yet shows as {@link #DOWN}. */
    MISCONFIGURED,
    /** Taken out of user traffic by an operator or a maintenance window; still polled. */
    DRAINED;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The lower-case word used in the API and metric labels. */
    public String label() {
        return label;
    }
}
