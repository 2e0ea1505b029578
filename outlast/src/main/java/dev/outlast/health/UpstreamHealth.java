package dev.outlast.health;

import dev.outlast.time.Ticker;
import dev.outlast.transport.FailureKind;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;

/**
 * Everything known about one upstream's health, updated from every call and probe.
 *
 * <h2>Implementation note</h2>
 * A circuit breaker ({@link Circuit}) decides whether user traffic may go to the upstream: {@code CLOSED} (normal),
 * {@code OPEN} after {@value #OPEN_AFTER_FAILURES} consecutive failures or an error rate above
 * {@value #OPEN_ERROR_RATE} (no user traffic; backoff from {@link #OPEN_BASE} doubling to
 * {@link #OPEN_MAX}), then {@code HALF_OPEN} when the backoff has passed: at most one user request
 * at a time, and the chain's head polls keep probing. {@value #CLOSE_AFTER_SUCCESSES} successes
 * close it; one failure reopens it with a doubled backoff. After closing, the upstream's share of
 * traffic ramps up over {@link #SLOW_START} instead of returning all at once (no thundering herd).
 * <p>Independently: a 429 (or a rate-limit error) makes it unusable until {@code Retry-After}; a
 * wrong answer quarantines it (backoff from {@link #QUARANTINE_BASE} doubling to
 * {@link #QUARANTINE_MAX}, forgiven after a clean {@link #QUARANTINE_FORGIVE}); a wrong chain id
 * makes it misconfigured until a check passes. An upstream is not used before its chain id has
 * been verified once.
 * <p>The error rate is an exponentially weighted mean over calls, so it reacts within a few calls
 * and forgets within a few dozen. It deliberately keeps no per-method statistics.
 *
 * <p>Thread-safe: every method synchronizes on this object and does constant work.
 */
public final class UpstreamHealth {

    static final int OPEN_AFTER_FAILURES = 3;
    static final double OPEN_ERROR_RATE = 0.6;
    static final int MIN_CALLS_FOR_RATE = 10;
    static final int CLOSE_AFTER_SUCCESSES = 3;
    static final Duration OPEN_BASE = Duration.ofSeconds(1);
    static final Duration OPEN_MAX = Duration.ofSeconds(30);
    static final Duration SLOW_START = Duration.ofSeconds(10);
    static final Duration QUARANTINE_BASE = Duration.ofSeconds(30);
    static final Duration QUARANTINE_MAX = Duration.ofMinutes(15);
    static final Duration QUARANTINE_FORGIVE = Duration.ofMinutes(10);
    static final double DEGRADED_ERROR_RATE = 0.05;
    private static final double ERROR_ALPHA = 0.1;
    private static final double DEFAULT_LATENCY_NANOS = 200e6;

    /** Called when the visible state changes. */
    @FunctionalInterface
    public interface Listener {
        void onStateChange(String upstream, HealthState from, HealthState to, String reason);
    }

    private final String name;
    private final Ticker ticker;
    private final Listener listener;
    private final LatencyWindow latency = new LatencyWindow();

    private final Circuit circuit = new Circuit();
    private final RateBudget budget;

    private int consecutiveFailures;
    private double errorRate;
    private long calls;
    private FailureKind lastFailure;
    private String lastFailureDetail;

    private long rateLimitedUntil;
    private long quarantinedUntil;
    private int quarantineLevel;
    private String quarantineReason;

    private boolean chainIdVerified;
    private String misconfiguredReason;

    /** The head the upstream reported last; it goes back when the node falls behind (a resync, a stall). */
    private long head = -1;
    /** The highest head it ever reported: it had that block, whatever it reports since. */
    private long highestHead = -1;
    private long headReportedAt;
    private long lag;
    private boolean lagging;

    private String drainedWhy;

    private HealthState state = HealthState.DOWN;
    private String reason = "starting: chain id not verified yet";
    /** The state last reported to the listener; {@link #state} may move ahead of it on reads. */
    private HealthState published = HealthState.DOWN;

    public UpstreamHealth(String name, Ticker ticker, Listener listener) {
        this(name, ticker, listener, 0);
    }

    /** @param rateLimit requests per second the provider allows; 0 for no configured limit */
    public UpstreamHealth(String name, Ticker ticker, Listener listener, double rateLimit) {
        this.name = name;
        this.ticker = ticker;
        this.listener = listener;
        this.budget = new RateBudget(ticker, rateLimit);
        long now = ticker.nanos();
        this.rateLimitedUntil = now;
        this.quarantinedUntil = now;
    }

    public String name() {
        return name;
    }

    /** Records what one call produced. */
    public void record(UpstreamReply reply) {
        synchronized (this) {
            long now = ticker.nanos();
            calls++;
            if (reply.isAnswer()) {
                onSuccess(now, reply.latencyNanos());
            } else {
                onFailure(now, reply);
            }
        }
        publish();
    }

    private void onSuccess(long now, long latencyNanos) {
        latency.add(latencyNanos);
        errorRate = (1 - ERROR_ALPHA) * errorRate;
        consecutiveFailures = 0;
        circuit.onSuccess(now);
    }

    private void onFailure(long now, UpstreamReply reply) {
        FailureKind kind = reply.failure();
        lastFailure = kind;
        lastFailureDetail = reply.detail();
        circuit.release(now);
        if (kind == FailureKind.RATE_LIMITED) {
            budget.onRateLimited();
            Duration wait = reply.retryAfter() != null ? reply.retryAfter() : Duration.ofSeconds(1);
            rateLimitedUntil = Math.max(rateLimitedUntil, now + wait.toNanos());
            errorRate = (1 - ERROR_ALPHA) * errorRate + ERROR_ALPHA * 0.5;
            return;
        }
        errorRate = (1 - ERROR_ALPHA) * errorRate + ERROR_ALPHA;
        if (kind == FailureKind.NODE_ERROR) {
            return;
        }
        consecutiveFailures++;
        circuit.onFailure(now, consecutiveFailures >= OPEN_AFTER_FAILURES
                || (calls >= MIN_CALLS_FOR_RATE && errorRate >= OPEN_ERROR_RATE));
    }

    /**
     * Marks the upstream as having given a wrong answer; it is excluded for a growing backoff.
     *
     * @return true when this starts a quarantine, false when it was already quarantined
     */
    public boolean quarantine(String why) {
        synchronized (this) {
            long now = ticker.nanos();
            if (now - quarantinedUntil < 0) {
                quarantineReason = why;
                return false;
            }
            if (quarantineLevel > 0 && now - quarantinedUntil > QUARANTINE_FORGIVE.toNanos()) {
                quarantineLevel = 0;
            }
            long backoff = Math.min(QUARANTINE_BASE.toNanos() << Math.min(quarantineLevel, 20), QUARANTINE_MAX.toNanos());
            quarantineLevel++;
            quarantinedUntil = now + backoff;
            quarantineReason = why;
            lastFailure = FailureKind.WRONG_ANSWER;
            lastFailureDetail = why;
        }
        publish();
        return true;
    }

    /** The result of a chain id check: {@code null} when it matched, else why it did not. */
    public void chainIdChecked(String mismatch) {
        synchronized (this) {
            if (mismatch == null) {
                chainIdVerified = true;
                misconfiguredReason = null;
            } else {
                misconfiguredReason = mismatch;
                lastFailure = FailureKind.WRONG_CHAIN;
                lastFailureDetail = mismatch;
            }
        }
        publish();
    }

    /** Records how far the upstream's reported head is behind the chain's served head. */
    public void lag(long lagBlocks, boolean isLagging) {
        synchronized (this) {
            lag = lagBlocks;
            lagging = isLagging;
        }
        publish();
    }

    /**
     * Records a head the upstream itself just reported (a poll), which also dates it. It may be
     * lower than the one before: a node that stalls or resyncs says so, and from then on its
     * answers about the latest state are that older block's.
     */
    public void headReported(long block) {
        synchronized (this) {
            head = block;
            highestHead = Math.max(highestHead, block);
            headReportedAt = ticker.nanos();
        }
        publish();
    }

    /** Nanoseconds since the upstream last reported its head; {@link Long#MAX_VALUE} if never. */
    public synchronized long headAgeNanos() {
        return head < 0 ? Long.MAX_VALUE : ticker.nanos() - headReportedAt;
    }

    /** The head the upstream reported last, or -1 when unknown. */
    public synchronized long head() {
        return head;
    }

    /**
     * The highest head the upstream ever reported, or -1 when unknown: it has had every block up to
     * this one, so it can answer for them even while it reports an older head.
     */
    public synchronized long highestHead() {
        return highestHead;
    }

    /**
     * True when user traffic may go to this upstream now. For a recovering (half-open) upstream
     * this admits one request at a time and reserves it; the reservation ends with the next
     * recorded reply.
     */
    public synchronized boolean tryAdmit() {
        long now = ticker.nanos();
        if (!baseUsable(now)) {
            return false;
        }
        return circuit.tryAdmit(now);
    }

    /** True when user traffic could go to this upstream now; reserves nothing. */
    public synchronized boolean isUsable() {
        long now = ticker.nanos();
        if (!baseUsable(now)) {
            return false;
        }
        return circuit.admits(now);
    }

    /**
     * Could be asked as a last resort: verified, on the right chain, not quarantined and not rate
     * limited, whatever its circuit says. Used when the usable upstreams are not enough.
     */
    public synchronized boolean isAvailableAsFallback() {
        return baseUsable(ticker.nanos());
    }

    /**
     * How long until the Retry-After of this upstream's last 429 (or rate-limit error) ends, when
     * that is all that keeps it from being asked as a last resort: 0 when it can be asked now, -1
     * when something else keeps it out (drained, quarantined, not verified).
     */
    public synchronized long retryAfterNanos() {
        long now = ticker.nanos();
        if (drainedWhy != null || !chainIdVerified || misconfiguredReason != null || now - quarantinedUntil < 0) {
            return -1;
        }
        return Math.max(0, rateLimitedUntil - now);
    }

    /** Verified, on the right chain, and not quarantined. */
    public synchronized boolean isHonestAndVerified() {
        long now = ticker.nanos();
        return chainIdVerified && misconfiguredReason == null && now - quarantinedUntil >= 0;
    }

    /**
     * Takes the upstream out of user traffic (an operator, or a maintenance window) until
     * {@link #restore}; polls and probes go on, so its health stays known.
     */
    public void drain(String why) {
        synchronized (this) {
            drainedWhy = why;
        }
        publish();
    }

    /** Ends a {@link #drain}. */
    public void restore() {
        synchronized (this) {
            drainedWhy = null;
        }
        publish();
    }

    public synchronized boolean isDrained() {
        return drainedWhy != null;
    }

    private boolean baseUsable(long now) {
        return drainedWhy == null && chainIdVerified && misconfiguredReason == null && now - quarantinedUntil >= 0
                && now - rateLimitedUntil >= 0;
    }

    /**
     * Lower is better: the mean latency inflated by the error rate, and by a slow-start factor
     * while recovering.
     */
    public synchronized double score() {
        double base = latency.ewmaNanos() < 0 ? DEFAULT_LATENCY_NANOS : latency.ewmaNanos();
        return base * (1 + 8 * errorRate) / circuit.slowStartShare(ticker.nanos());
    }

    /** The recent failure ratio in [0, 1] (exponentially weighted over calls). */
    public synchronized double errorRate() {
        return errorRate;
    }

    /** The upstream's request budget (configured limit, adapted to its 429s). */
    public RateBudget budget() {
        return budget;
    }

    /** How many calls in a row failed (rate limits and node errors aside); 0 after a success. */
    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The share of its full traffic this upstream may take now, in (0, 1]. */
    public synchronized double slowStartShare() {
        return circuit.slowStartShare(ticker.nanos());
    }

    /** How long to wait for this upstream before hedging: its p90, clamped. */
    public synchronized long hedgeDelayNanos(long minNanos, long maxNanos) {
        long p90 = latency.count() < 5 ? maxNanos : latency.p90Nanos();
        return Math.max(minNanos, Math.min(maxNanos, p90));
    }

    /** A consistent copy of everything shown about this upstream. */
    public synchronized HealthSnapshot snapshot() {
        long now = ticker.nanos();
        computeState(now);
        return new HealthSnapshot(name, state, reason, head, lag,
                latency.ewmaNanos() < 0 ? -1 : latency.ewmaNanos() / 1e6,
                latency.p90Nanos() < 0 ? -1 : latency.p90Nanos() / 1e6,
                errorRate, calls, lastFailure, lastFailureDetail,
                now - quarantinedUntil < 0 ? Duration.ofNanos(quarantinedUntil - now) : Duration.ZERO);
    }

    /** The current state (recomputed). */
    public synchronized HealthState state() {
        long now = ticker.nanos();
        computeState(now);
        return state;
    }

    private void computeState(long now) {
        if (misconfiguredReason != null) {
            state = HealthState.MISCONFIGURED;
            reason = misconfiguredReason;
        } else if (drainedWhy != null) {
            state = HealthState.DRAINED;
            reason = "drained: " + drainedWhy;
        } else if (!chainIdVerified) {
            state = HealthState.DOWN;
            reason = lastFailure == null ? "starting: chain id not verified yet"
                                         : "chain id not verified yet: " + describeFailure("unreachable");
        } else if (now - quarantinedUntil < 0) {
            state = HealthState.QUARANTINED;
            reason = "gave a wrong answer: " + quarantineReason;
        } else if (circuit.state(now) == Circuit.State.OPEN) {
            state = HealthState.DOWN;
            reason = describeFailure("failing");
        } else if (circuit.state(now) == Circuit.State.HALF_OPEN) {
            state = HealthState.DOWN;
            reason = "recovering: probing after " + describeFailure("failures");
        } else if (lagging) {
            state = HealthState.LAGGING;
            reason = lag + " blocks behind the head";
        } else if (now - rateLimitedUntil < 0) {
            state = HealthState.DEGRADED;
            reason = "rate limited (HTTP 429 or a rate-limit error)";
        } else if (errorRate >= DEGRADED_ERROR_RATE) {
            state = HealthState.DEGRADED;
            reason = String.format("error rate %.0f%%, last: %s", errorRate * 100, describeFailure("failure"));
        } else if (circuit.slowStartShare(now) < 1.0) {
            state = HealthState.DEGRADED;
            reason = "recovered; traffic ramping up";
        } else {
            state = HealthState.HEALTHY;
            reason = "ok";
        }
    }

    private String describeFailure(String fallback) {
        if (lastFailure == null) {
            return fallback;
        }
        return lastFailureDetail == null ? lastFailure.words() : lastFailure.words() + " (" + lastFailureDetail + ")";
    }

    private void publish() {
        HealthState before;
        HealthState after;
        String why;
        synchronized (this) {
            computeState(ticker.nanos());
            before = published;
            after = state;
            why = reason;
            published = state;
        }
        if (after != before && listener != null) {
            listener.onStateChange(name, before, after, why);
        }
    }
}
