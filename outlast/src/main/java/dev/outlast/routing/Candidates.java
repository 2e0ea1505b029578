package dev.outlast.routing;

import dev.outlast.upstream.FailureKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The upstreams one request may ask, in the order to ask them: the usable ones in selection order
 * (a recovering one only if it admits the request), then the last resorts chosen by
 * {@link Selector#candidates} (slightly behind, or down but honest), then again each upstream whose
 * failure was transient (a 5xx, a vendor page, a reset, a refused connection, a malformed body),
 * the one asked least often in this request first, then the one with the lowest error rate (a
 * flaky upstream before a dead one; the budget is spread, not spent on one that keeps failing), at most
 * {@value #RETRY_BUDGET} extra attempts per request in all. Honest upstreams last seen far behind
 * come between the last resorts and the retries, and only when a call has failed or the others
 * cannot make up the quorum, so that they are never asked just to hedge a slow call. A last resort costs only
 * latency and a few calls, and is taken only when the alternative is an error for the client.
 *
 * <p>Not thread-safe: owned by one call, under its monitor.
 */
final class Candidates {

    /** Extra attempts one request may spend on upstreams that failed transiently. */
    static final int RETRY_BUDGET = 10;
    /** An upstream failing more than this share of calls is not retried within a request. */
    static final double DEAD_ERROR_RATE = 0.95;
    private static final Set<FailureKind> TRANSIENT = EnumSet.of(FailureKind.HTTP_5XX, FailureKind.VENDOR_PAGE,
            FailureKind.RESET, FailureKind.CONNECT, FailureKind.BAD_RESPONSE);

    private final List<ChainUpstream> primary;
    private final List<ChainUpstream> fallback;
    private final List<ChainUpstream> farBehind;
    private int needed = 1;
    private boolean anyFailure;
    private int nextFarBehind;
    private final Map<String, Integer> attempts = new HashMap<>();
    private final List<ChainUpstream> retryable = new ArrayList<>();
    private int nextPrimary;
    private int nextFallback;
    private int retriesLeft = RETRY_BUDGET;

    Candidates(List<ChainUpstream> primary, List<ChainUpstream> fallback) {
        this(primary, fallback, List.of());
    }

    /**
     * @param farBehind honest upstreams last seen too far behind the pinned block to be asked unless
     *                  nothing else can answer: offered only once a call has failed, or when the others
     *                  are fewer than {@linkplain #needs needed} (never to hedge a call that is merely slow)
     */
    Candidates(List<ChainUpstream> primary, List<ChainUpstream> fallback, List<ChainUpstream> farBehind) {
        this.primary = primary;
        this.fallback = fallback;
        this.farBehind = farBehind;
    }

    /** How many upstreams must answer (a consensus read's quorum); 1 by default. */
    void needs(int k) {
        needed = k;
    }

    /** The longest a down (last-resort or probing) upstream is waited for. */
    static final long LAST_RESORT_TIMEOUT_NANOS = java.time.Duration.ofSeconds(2).toNanos();

    /**
     * The timeout for one attempt: what is left of the deadline, or at most
     * {@link #LAST_RESORT_TIMEOUT_NANOS} for an upstream that is not usable (down, probing), so a
     * black hole tried as a last resort cannot eat the whole deadline.
     */
    static long timeoutNanos(ChainUpstream u, long remainingNanos) {
        return u.health().isUsable() ? remainingNanos : Math.min(remainingNanos, LAST_RESORT_TIMEOUT_NANOS);
    }

    /** How many distinct upstreams could be asked. */
    int distinct() {
        return primary.size() + fallback.size();
    }

    /** The next upstream to ask, or null when none is left. */
    ChainUpstream next() {
        while (nextPrimary < primary.size()) {
            ChainUpstream u = primary.get(nextPrimary++);
            if (u.health().tryAdmit()) {
                return asked(u);
            }
            if (u.health().isAvailableAsFallback()) {
                fallback.add(u);
            }
        }
        while (nextFallback < fallback.size()) {
            ChainUpstream u = fallback.get(nextFallback++);
            if (!attempts.containsKey(u.name()) && u.health().isAvailableAsFallback()) {
                return asked(u);
            }
        }
        while (farBehindOpen() && nextFarBehind < farBehind.size()) {
            ChainUpstream u = farBehind.get(nextFarBehind++);
            if (!attempts.containsKey(u.name()) && u.health().isAvailableAsFallback()) {
                return asked(u);
            }
        }
        while (!retryable.isEmpty() && retriesLeft > 0) {
            ChainUpstream u = retryable.stream().min(Comparator.comparingInt((ChainUpstream x) -> attempts.getOrDefault(x.name(), 0))
                    .thenComparingDouble(x -> x.health().errorRate())).orElseThrow();
            retryable.remove(u);
            if (u.health().isAvailableAsFallback()) {
                retriesLeft--;
                return asked(u);
            }
        }
        return null;
    }

    /** True when a later {@link #next()} may still return an upstream. */
    boolean hasMore() {
        return nextPrimary < primary.size() || nextFallback < fallback.size()
                || (farBehindOpen() && nextFarBehind < farBehind.size())
                || (!retryable.isEmpty() && retriesLeft > 0);
    }

    private boolean farBehindOpen() {
        return anyFailure || primary.size() + fallback.size() < needed;
    }

    /**
     * Records a failure; a transient one makes the upstream worth another try, within the budget,
     * unless nearly all its recent calls failed (it is dead, not flaky: once was enough).
     */
    void failed(ChainUpstream u, FailureKind kind) {
        anyFailure = true;
        if (TRANSIENT.contains(kind) && retriesLeft > 0 && !retryable.contains(u)
                && u.health().errorRate() < DEAD_ERROR_RATE) {
            retryable.add(u);
        }
    }

    private ChainUpstream asked(ChainUpstream u) {
        attempts.merge(u.name(), 1, Integer::sum);
        return u;
    }
}
