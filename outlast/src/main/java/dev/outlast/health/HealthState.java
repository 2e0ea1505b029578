package dev.outlast.health;

/** The state of one endpoint (a chain upstream or a site origin) as shown in the API, metrics and status page. */
public enum HealthState {
    /** Serving normally. */
    HEALTHY("healthy"),
    /** Serving, but with errors, rate limits or recovering; gets less traffic. */
    DEGRADED("degraded"),
    /** Behind the chain's head by more than the allowed lag. */
    LAGGING("lagging"),
    /** Failing; only probes are sent until it recovers. */
    DOWN("down"),
    /** Caught giving a wrong answer; excluded for a backoff period. */
    QUARANTINED("quarantined"),
    /** Serves another chain (wrong {@code eth_chainId}) or has not been verified yet. */
    MISCONFIGURED("misconfigured"),
    /** Taken out of user traffic by an operator or a maintenance window; still polled. */
    DRAINED("drained");

    private final String label;

    HealthState(String label) {
        this.label = label;
    }

    /** The lower-case word used in the API and metric labels. */
    public String label() {
        return label;
    }
}
