package dev.outlast.routing;

import dev.outlast.upstream.FailureKind;
import dev.outlast.upstream.RpcErrorClassifier;
import dev.outlast.upstream.UpstreamReply;
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
 * the one with the fewest failures in a row first (a flaky upstream before one that fails every
 * call: at the start of an outage the dead one's error rate is still low, but its run of failures
 * is already long), then the one asked least often in this request (the budget is spread, not
 * spent on one), then the lowest error rate, at most {@value #RETRY_BUDGET} extra attempts per
 * request in all. An upstream failing nearly every call ({@value #DEAD_ERROR_RATE} of recent calls)
 * is dead rather than flaky and not retried within a request. A run of failures alone never makes
 * an upstream dead: under load a flaky upstream has long runs now and then, and giving up on it
 * then is a client-visible error, while retrying a dead one costs a fast failure. Honest
 * upstreams last seen far behind come between the last resorts and the retries, and only when a
 * call has failed or the others cannot make up the quorum, so that they are never asked just to
 * hedge a slow call. An upstream whose rate budget ({@link dev.outlast.health.RateBudget}) has no
 * token is passed over, and offered again when the caller has nothing else and waits for its
 * token. A last resort costs only
 * latency and a few calls, and is taken only when the alternative is an error for the client.
 *
 * <p>Not thread-safe: owned by one call, under its monitor.
 */
final class Candidates {

    /** Extra attempts one request may spend on upstreams that failed transiently. */
    static final int RETRY_BUDGET = 10;
    /**
     * An upstream whose last {@value} calls all failed is asked at most
     * {@value #ATTEMPTS_DURING_LONG_RUN} times per request (a fifth of the retry budget): failing
     * every call at the start of an outage (not yet {@linkplain #DEAD_ERROR_RATE dead} by its error
     * rate), it would otherwise take the budget, leaving too little for a flaky upstream that would
     * have answered. With half the budget it still took too much: in the drill's first seconds of
     * an edge outage (alpha failing every call, beta 30%), a quorum read needing beta's vote had
     * six tries of beta and ended short about once in 1,400 (0.3^6); with two retries for alpha,
     * beta has nine (0.3^9). A flaky upstream has runs of failures too, now and then under load, and
     * is then still retried twice.
     */
    static final int LONG_RUN = 8;
    static final int ATTEMPTS_DURING_LONG_RUN = 1 + RETRY_BUDGET / 5;
    /** An upstream failing more than this share of calls is not retried within a request. */
    static final double DEAD_ERROR_RATE = 0.95;
    /** Which transient failure to retry first: fewest failures in a row, asked least in this request, fewest errors. */
    private Comparator<ChainUpstream> retryOrder() {
        return Comparator.comparingInt((ChainUpstream x) -> x.health().consecutiveFailures())
                .thenComparingInt(x -> attempts.getOrDefault(x.name(), 0))
                .thenComparingDouble(x -> x.health().errorRate());
    }
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
    /** Upstreams passed over because their rate budget had no token; offered again after a wait. */
    private final List<ChainUpstream> outOfBudget = new ArrayList<>();
    private final List<ChainUpstream> again = new ArrayList<>();
    /** Upstreams inside the Retry-After of a 429; waited for only when nothing else can be asked. */
    private final List<ChainUpstream> rateLimited = new ArrayList<>();
    private int nextPrimary;
    private int nextFallback;
    private int retriesLeft = RETRY_BUDGET;
    private final java.util.function.LongSupplier clock;
    /** When each upstream that failed at the connection level may be retried (clock nanos). */
    private final Map<String, Long> retryAt = new HashMap<>();
    /** Upstreams retried once already after saying they do not have the block. */
    private final Set<String> blockRetried = new java.util.HashSet<>();
    private long retryWait = -1;

    /**
     * After a reset, a refused connection or a cut body, the same upstream is retried only this long
     * later (times its attempts in the request): the pooled connection the retry would take is often
     * the one being closed, and an immediate retry fails the same way. After a 5xx or a vendor page,
     * half as long: a retry a few milliseconds later has the same odds as an immediate one against a
     * flaky upstream, and a string of them against a failing one is spread over time instead of
     * spent at once.
     */
    static final long RETRY_SPACING_NANOS = java.time.Duration.ofMillis(20).toNanos();
    /** After "header not found" and the like, the same upstream is retried (once) this long later. */
    static final long BLOCK_RETRY_SPACING_NANOS = java.time.Duration.ofMillis(100).toNanos();
    private static final Set<FailureKind> CONNECTION_LEVEL = EnumSet.of(FailureKind.RESET, FailureKind.CONNECT,
            FailureKind.BAD_RESPONSE);

    Candidates(List<ChainUpstream> primary, List<ChainUpstream> fallback) {
        this(primary, fallback, List.of());
    }

    /**
     * @param farBehind honest upstreams last seen too far behind the pinned block to be asked unless
     *                  nothing else can answer: offered only once a call has failed, or when the others
     *                  are fewer than {@linkplain #needs needed} (never to hedge a call that is merely slow)
     */
    Candidates(List<ChainUpstream> primary, List<ChainUpstream> fallback, List<ChainUpstream> farBehind) {
        this(primary, fallback, farBehind, System::nanoTime);
    }

    /** @param clock nanosecond time, for the spacing of retries after a connection failure */
    Candidates(List<ChainUpstream> primary, List<ChainUpstream> fallback, List<ChainUpstream> farBehind,
               java.util.function.LongSupplier clock) {
        this.primary = primary;
        this.fallback = fallback;
        this.farBehind = farBehind;
        this.clock = clock;
    }

    /**
     * Upstreams that said 429 and whose Retry-After has not passed. They are not asked before it
     * has; a request with nothing else to ask waits for the first of them (within its deadline)
     * rather than fail, as for a spent rate budget.
     */
    void rateLimited(List<ChainUpstream> upstreams) {
        rateLimited.addAll(upstreams);
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
        while (!again.isEmpty()) {
            ChainUpstream u = again.removeFirst();
            if (u.health().isAvailableAsFallback() && taken(u)) {
                return asked(u);
            }
        }
        while (nextPrimary < primary.size()) {
            ChainUpstream u = primary.get(nextPrimary++);
            if (!u.health().budget().hasToken()) {
                outOfBudget.add(u);
                continue;
            }
            if (u.health().tryAdmit()) {
                u.health().budget().tryTake();
                return asked(u);
            }
            if (u.health().isAvailableAsFallback()) {
                fallback.add(u);
            }
        }
        while (nextFallback < fallback.size()) {
            ChainUpstream u = fallback.get(nextFallback++);
            if (!attempts.containsKey(u.name()) && u.health().isAvailableAsFallback() && taken(u)) {
                return asked(u);
            }
        }
        while (farBehindOpen() && nextFarBehind < farBehind.size()) {
            ChainUpstream u = farBehind.get(nextFarBehind++);
            if (!attempts.containsKey(u.name()) && u.health().isAvailableAsFallback()) {
                return asked(u);
            }
        }
        retryWait = -1;
        while (!retryable.isEmpty() && retriesLeft > 0) {
            long now = clock.getAsLong();
            ChainUpstream u = retryable.stream().filter(x -> retryAt.getOrDefault(x.name(), now) - now <= 0)
                    .min(retryOrder()).orElse(null);
            if (u == null) {
                for (ChainUpstream x : retryable) {
                    long wait = retryAt.get(x.name()) - now;
                    retryWait = retryWait < 0 ? wait : Math.min(retryWait, wait);
                }
                return null;
            }
            retryable.remove(u);
            if (u.health().isAvailableAsFallback() && !isDead(u) && !spent(u) && taken(u)) {
                retriesLeft--;
                return asked(u);
            }
        }
        return null;
    }

    /** Takes a token from {@code u}'s budget, or remembers it for {@link #waitNanos}. */
    private boolean taken(ChainUpstream u) {
        if (u.health().budget().tryTake()) {
            return true;
        }
        outOfBudget.add(u);
        return false;
    }

    /**
     * How long until an upstream passed over for its rate budget has a token again, one that
     * failed at the connection level may be retried, or one that said 429 is past its Retry-After;
     * -1 when none is waiting. A request that would otherwise fail waits this long instead:
     * requests over a provider's budget or limit wait or go elsewhere, they are not dropped.
     */
    long waitNanos() {
        long wait = retryWait;
        for (ChainUpstream u : outOfBudget) {
            long n = u.health().budget().nanosUntilToken();
            wait = wait < 0 ? n : Math.min(wait, n);
        }
        for (ChainUpstream u : rateLimited) {
            long n = u.health().retryAfterNanos();
            if (n >= 0) {
                wait = wait < 0 ? n : Math.min(wait, n);
            }
        }
        return wait;
    }

    /** Offers the upstreams passed over for their budget again (after {@link #waitNanos}); pausing retries come due by themselves. */
    void offerAgain() {
        again.addAll(outOfBudget);
        outOfBudget.clear();
        for (java.util.Iterator<ChainUpstream> it = rateLimited.iterator(); it.hasNext(); ) {
            ChainUpstream u = it.next();
            if (u.health().retryAfterNanos() == 0) {
                again.add(u);
                it.remove();
            }
        }
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
        if (kind == FailureKind.RATE_LIMITED && retriesLeft > 0 && u.health().retryAfterNanos() > 0
                && !rateLimited.contains(u)) {
            // Asked again after its Retry-After, if nothing else answers first (see waitNanos).
            rateLimited.add(u);
            retriesLeft--;
            return;
        }
        if (TRANSIENT.contains(kind) && retriesLeft > 0 && !retryable.contains(u) && !isDead(u) && !spent(u)) {
            retryable.add(u);
            retryAfter(u, CONNECTION_LEVEL.contains(kind) ? RETRY_SPACING_NANOS : RETRY_SPACING_NANOS / 2);
        }
    }

    /**
     * Records a failed reply. A node that answered it does not have the asked block (yet) is a
     * transient failure too, retried once after {@link #BLOCK_RETRY_SPACING_NANOS}: a node a block
     * or two behind, or one just back from a lag, has the block moments later, and for a quorum
     * read it may be the only other upstream that can answer. Once only: a block nobody has yet
     * (a client asking ahead of the chain) is not worth more of the deadline.
     */
    void failed(ChainUpstream u, UpstreamReply reply) {
        if (reply.failure() == FailureKind.NODE_ERROR && reply.error() != null
                && RpcErrorClassifier.blockNotYetKnown(reply.error())) {
            anyFailure = true;
            if (retriesLeft > 0 && !retryable.contains(u) && !isDead(u) && blockRetried.add(u.name())) {
                retryable.add(u);
                retryAt.put(u.name(), clock.getAsLong() + BLOCK_RETRY_SPACING_NANOS);
            }
            return;
        }
        failed(u, reply.failure());
    }

    private void retryAfter(ChainUpstream u, long spacingNanos) {
        long spacing = Math.min(5, attempts.getOrDefault(u.name(), 1)) * spacingNanos;
        retryAt.put(u.name(), clock.getAsLong() + spacing);
    }

    private boolean spent(ChainUpstream u) {
        return u.health().consecutiveFailures() >= LONG_RUN
                && attempts.getOrDefault(u.name(), 0) >= ATTEMPTS_DURING_LONG_RUN;
    }

    private static boolean isDead(ChainUpstream u) {
        return u.health().errorRate() >= DEAD_ERROR_RATE;
    }

    private ChainUpstream asked(ChainUpstream u) {
        attempts.merge(u.name(), 1, Integer::sum);
        return u;
    }
}
