package dev.outlast.health;

/**
 * One endpoint's health as of its last change: what routing and sites read on every request to
 * decide. What is only shown (calls, the last failure, the reason) is in
 * {@link EndpointHealth#snapshot()}.
 * Questions whose answer moves with time (is it usable, its score) take {@code now} from the
 * endpoint's ticker, since a circuit's backoff, a Retry-After or a quarantine ends without any
 * write.
 *
 * <p>Immutable; published by {@link EndpointHealth#current()} through one volatile field, so one
 * read gives a consistent view.
 */
public final class HealthView {

    private static final double DEFAULT_LATENCY_NANOS = 200e6;

    private final Circuit circuit;
    private final NodeState node;
    private final double latencyNanos;
    private final long hedgeP90Nanos;
    private final double errorRate;
    private final int consecutiveFailures;
    private final long rateLimitedUntil;
    private final String drainedWhy;

    HealthView(Circuit circuit, NodeState node, double latencyNanos, long hedgeP90Nanos, double errorRate,
               int consecutiveFailures, long rateLimitedUntil, String drainedWhy) {
        this.circuit = circuit;
        this.node = node;
        this.latencyNanos = latencyNanos;
        this.hedgeP90Nanos = hedgeP90Nanos;
        this.errorRate = errorRate;
        this.consecutiveFailures = consecutiveFailures;
        this.rateLimitedUntil = rateLimitedUntil;
        this.drainedWhy = drainedWhy;
    }

    /** The node state of a chain upstream; null for a site origin. */
    public NodeState node() {
        return node;
    }

    /**
     * True when user traffic could go to the endpoint at {@code now}: not drained, rate limited or
     * (an upstream) misconfigured, unverified or quarantined, and its circuit admits a request.
     * Reserves nothing (see {@link EndpointHealth#tryAdmit()}).
     */
    public boolean isUsable(long now) {
        return isAvailableAsFallback(now) && circuit.admits(now);
    }

    /** Could be asked as a last resort at {@code now}: as {@link #isUsable} whatever its circuit says. */
    public boolean isAvailableAsFallback(long now) {
        return drainedWhy == null && (node == null || node.isHonestAndVerified(now)) && !isRateLimited(now);
    }

    /**
     * How long from {@code now} until the Retry-After of the last 429 (or rate-limit error) ends,
     * when that is all that keeps the endpoint from being asked as a last resort: 0 when it can be
     * asked now, -1 when something else keeps it out (drained; an upstream quarantined or not verified).
     */
    public long retryAfterNanos(long now) {
        if (drainedWhy != null || (node != null && !node.isHonestAndVerified(now))) {
            return -1;
        }
        return Math.max(0, rateLimitedUntil - now);
    }

    boolean isRateLimited(long now) {
        return now - rateLimitedUntil < 0;
    }

    public boolean isDrained() {
        return drainedWhy != null;
    }

    /**
     * Lower is better: the mean latency inflated by the error rate, and by a slow-start factor
     * while recovering.
     */
    public double score(long now) {
        double base = latencyNanos < 0 ? DEFAULT_LATENCY_NANOS : latencyNanos;
        return base * (1 + 8 * errorRate) / circuit.slowStartShare(now);
    }

    /** The share of its full traffic the endpoint may take at {@code now}, in (0, 1]. */
    public double slowStartShare(long now) {
        return circuit.slowStartShare(now);
    }

    /** How long to wait for this endpoint before hedging: its p90, clamped; the maximum before five samples. */
    public long hedgeDelayNanos(long minNanos, long maxNanos) {
        long p90 = hedgeP90Nanos < 0 ? maxNanos : hedgeP90Nanos;
        return Math.max(minNanos, Math.min(maxNanos, p90));
    }

    /** The recent failure ratio in [0, 1] (exponentially weighted over calls). */
    public double errorRate() {
        return errorRate;
    }

    /** How many calls in a row failed (rate limits and node errors aside); 0 after a success. */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Mean latency in nanoseconds, -1 before the first answer. */
    public double latencyNanos() {
        return latencyNanos;
    }

    /** The state at {@code now}. */
    public HealthState state(long now) {
        return Verdict.of(this, now).state();
    }

    Circuit circuit() {
        return circuit;
    }

    String drainedWhy() {
        return drainedWhy;
    }
}
