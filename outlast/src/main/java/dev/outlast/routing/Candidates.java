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
 * request in all. The first in that order is waited for when its pause after the failure has not
 * passed, rather than a worse one taken because it is due sooner. An upstream failing nearly every
 * call ({@value #DEAD_ERROR_RATE} of recent calls) is dead rather than flaky and not retried within
 * a request. A run of failures alone never makes
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
     * have answered. The run is long enough that a flaky upstream seldom has one: with runs of 8,
     * an upstream failing 40% of calls (the drill's truncated and non-JSON bodies) had one now and
     * then under load, was capped at three tries while it was the only other voter a quorum read
     * had, and the read ended short (0.4^3). A run of 16 at 40% is about one in 2.3 million calls,
     * while an upstream failing every call reaches it within its first second of traffic.
     */
    static final int LONG_RUN = 16;
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
    /** Each asked upstream's run of failures in a row when this request first asked it. */
    private final Map<String, Integer> runAtFirstAsk = new HashMap<>();
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
    /** Upstreams among {@link #retryable} for "header not found", not for a transient failure. */
    private final Set<String> blockWaiting = new java.util.HashSet<>();
    /** Upstreams that lacked the block after their retry, with their reported head then. */
    private final Map<ChainUpstream, Long> lagging = new java.util.LinkedHashMap<>();
    /** Upstreams among {@link #lagging} whose answer was not counted for coming from too far behind. */
    private final Set<String> staleVoters = new java.util.HashSet<>();
    /** Upstreams asked again once their head reached the block (the first such ask is outside the budget). */
    private final Set<String> caughtUpAsked = new java.util.HashSet<>();
    /** The block the request is pinned to, -1 when none. */
    private long block = -1;
    /** How far behind {@link #block} an upstream's reported head may be before its unpinned answers are stale. */
    private long maxBehind = Long.MAX_VALUE;
    /** Until when (clock nanos) a request with nothing else to ask waits for a {@link #lagging} upstream to catch up. */
    private long lagWaitUntil = Long.MIN_VALUE;
    private long retryWait = -1;
    private java.util.function.Consumer<ChainUpstream> headRefresh = u -> { };

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

    /**
     * The block the request needs ({@code minHead} of {@link Selector#candidates}): an upstream that
     * said it lacks it, after its one retry, is asked again once its reported head reaches it; one
     * whose reported head is more than {@code maxBehind} blocks short of it is
     * {@linkplain #behind behind}: its answer to an unpinned read is stale.
     */
    void block(long minHead, long maxBehind) {
        block = minHead;
        this.maxBehind = maxBehind;
    }

    /**
     * True when {@code u}'s last reported head is further behind the block the request needs than
     * an upstream may lag: for an unpinned read ({@code pending}) its answer is the state of an
     * older block (a nonce without the transactions since), not a vote.
     */
    boolean behind(ChainUpstream u) {
        long head = u.health().head();
        return block >= 0 && head >= 0 && block - head > maxBehind;
    }

    /**
     * Records that {@code u} answered from {@linkplain #behind behind}: it is asked again once its
     * reported head reaches the block, and a request with nothing else to ask waits for that up to
     * {@link #LAG_WAIT_NANOS} (a node back from a lag is the vote a quorum read may need; a node
     * stuck far behind must not hold every request for its whole deadline).
     */
    void stale(ChainUpstream u) {
        anyFailure = true;
        lagging.put(u, u.health().head());
        staleVoters.add(u.name());
        lagWaitUntil = clock.getAsLong() + LAG_WAIT_NANOS;
    }

    /**
     * How to have an upstream's head polled now: called for each upstream this request waits on to
     * catch up ({@link #caughtUp}) whenever it looks at their heads, since a polled head is up to a
     * poll interval old.
     */
    void refreshHeadsWith(java.util.function.Consumer<ChainUpstream> refresh) {
        headRefresh = refresh;
    }

    /** How long a request waits, with nothing else to ask, for an upstream that answered from behind to catch up. */
    static final long LAG_WAIT_NANOS = java.time.Duration.ofSeconds(1).toNanos();
    /** How often a request waiting for a lagging upstream looks at its reported head again. */
    static final long LAG_RECHECK_NANOS = java.time.Duration.ofMillis(50).toNanos();

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
        ChainUpstream caughtUp = caughtUp();
        if (caughtUp != null) {
            return caughtUp;
        }
        while (!retryable.isEmpty() && retriesLeft > 0) {
            long now = clock.getAsLong();
            ChainUpstream u = nextRetry(now);
            if (u == null) {
                return null;
            }
            retryable.remove(u);
            blockWaiting.remove(u.name());
            if (u.health().isAvailableAsFallback() && !isDead(u) && !spent(u) && taken(u)) {
                retriesLeft--;
                return asked(u);
            }
        }
        return null;
    }

    /**
     * The retry to make now, or null after setting {@link #retryWait} when it must be waited for.
     * The first in {@link #retryOrder()} is waited for when its pause is not over, not traded for a
     * worse one due sooner: taking whichever was due gave an upstream failing every call (short
     * pauses after its fast failures) half the budget, and a quorum read's only other voter too few
     * tries. A node that said it lacks the block stands apart: it has no run of failures to rank it
     * by, so it is asked when its pause is over, and never waited for while a retry of an upstream
     * that has the block can go.
     */
    private ChainUpstream nextRetry(long now) {
        ChainUpstream best = null;
        ChainUpstream blockDue = null;
        long blockWait = -1;
        Comparator<ChainUpstream> order = retryOrder();
        for (ChainUpstream x : retryable) {
            long wait = retryAt.getOrDefault(x.name(), now) - now;
            if (blockWaiting.contains(x.name())) {
                if (wait <= 0) {
                    blockDue = x;
                } else {
                    blockWait = earliest(blockWait, wait);
                }
            } else if (best == null || order.compare(x, best) < 0) {
                best = x;
            }
        }
        long bestWait = best == null ? -1 : retryAt.getOrDefault(best.name(), now) - now;
        if (best != null && bestWait <= 0) {
            return best;
        }
        if (blockDue != null) {
            return blockDue;
        }
        retryWait = earliest(bestWait, blockWait);
        return null;
    }

    /**
     * An upstream that said it lacks the block after its one retry, or whose answer came from too far
     * behind ({@link #stale}), and whose reported head has since reached the block (and moved since
     * it was last asked): asked again. A node whose lag ends while the request runs is the vote a
     * quorum read may need. Its first re-ask is made even when failures elsewhere spent the budget:
     * it is not a retry of a failing upstream but the first chance of one that could not answer
     * before (a drill read spent the budget on alpha, failing 40% of calls and then every call,
     * while beta's lag ended; beta was not asked and the read ended without a quorum). Later
     * re-asks of a node that lacked the block again are retries, within the budget.
     */
    private ChainUpstream caughtUp() {
        if (block < 0) {
            return null;
        }
        for (java.util.Iterator<Map.Entry<ChainUpstream, Long>> it = lagging.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ChainUpstream, Long> e = it.next();
            ChainUpstream u = e.getKey();
            boolean free = freeReask(u);
            long head = u.health().head();
            if ((free || retriesLeft > 0) && head >= block && head > e.getValue()) {
                it.remove();
                staleVoters.remove(u.name());
                if (u.health().isAvailableAsFallback() && !isDead(u) && taken(u)) {
                    if (!free) {
                        retriesLeft--;
                    }
                    caughtUpAsked.add(u.name());
                    return asked(u);
                }
            } else if (head < block) {
                headRefresh.accept(u);
            }
        }
        return null;
    }

    private boolean freeReask(ChainUpstream u) {
        return staleVoters.contains(u.name()) || !caughtUpAsked.contains(u.name());
    }

    /** True when a {@link #lagging} upstream would be asked once its head reaches the block. */
    private boolean awaitingCatchUp() {
        for (ChainUpstream u : lagging.keySet()) {
            if ((freeReask(u) || retriesLeft > 0) && u.health().isAvailableAsFallback() && !isDead(u)) {
                return true;
            }
        }
        return false;
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
        long lagWait = lagWaitUntil - clock.getAsLong();
        if (lagWait > 0 && awaitingCatchUp()) {
            wait = earliest(wait, Math.min(LAG_RECHECK_NANOS, lagWait));
        }
        for (ChainUpstream u : outOfBudget) {
            wait = earliest(wait, u.health().budget().nanosUntilToken());
        }
        for (ChainUpstream u : rateLimited) {
            wait = earliest(wait, u.health().retryAfterNanos());
        }
        return wait;
    }

    /** The sooner of two waits in nanoseconds, where a negative one means "nothing to wait for". */
    static long earliest(long a, long b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
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
        return notYetOffered() || (!retryable.isEmpty() && retriesLeft > 0);
    }

    /**
     * True when an upstream not yet asked in this request may still be offered (a retry is not
     * one): before retrying failures, a consensus read whose answers differed asks its voters again.
     */
    boolean hasFresh() {
        return !again.isEmpty() || notYetOffered();
    }

    private boolean notYetOffered() {
        return nextPrimary < primary.size() || nextFallback < fallback.size()
                || (farBehindOpen() && nextFarBehind < farBehind.size());
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
     * read it may be the only other upstream that can answer. Once only, unless its reported head
     * later reaches the {@linkplain #block block} (at or below the chain's served head, so the node
     * is behind: a request with nothing else to ask waits up to {@link #LAG_WAIT_NANOS} for that). A
     * block nobody has yet (a client asking ahead of the chain, no block set) is not worth more of
     * the deadline.
     */
    void failed(ChainUpstream u, UpstreamReply reply) {
        if (reply.failure() == FailureKind.NODE_ERROR && reply.error() != null
                && RpcErrorClassifier.blockNotYetKnown(reply.error())) {
            anyFailure = true;
            if (retriesLeft > 0 && !retryable.contains(u) && !isDead(u) && blockRetried.add(u.name())) {
                retryable.add(u);
                blockWaiting.add(u.name());
                retryAt.put(u.name(), clock.getAsLong() + BLOCK_RETRY_SPACING_NANOS);
            } else if (block >= 0 && !retryable.contains(u)) {
                // The block is at or below the chain's served head: the node is behind, and
                // the request waits a while for it to catch up when nothing else can answer.
                lagging.put(u, u.health().head());
                lagWaitUntil = clock.getAsLong() + LAG_WAIT_NANOS;
            }
            return;
        }
        failed(u, reply.failure());
    }

    private void retryAfter(ChainUpstream u, long spacingNanos) {
        long spacing = Math.min(5, attempts.getOrDefault(u.name(), 1)) * spacingNanos;
        retryAt.put(u.name(), clock.getAsLong() + spacing);
    }

    /**
     * The run counted is the one the upstream was on when this request first asked it: the
     * request's own failures do not cap it, or a 40%-flaky upstream failing seven times in a row
     * here (one request in 600) would lose the rest of the budget exactly when it is needed.
     */
    private boolean spent(ChainUpstream u) {
        return runAtFirstAsk.getOrDefault(u.name(), u.health().consecutiveFailures()) >= LONG_RUN
                && attempts.getOrDefault(u.name(), 0) >= ATTEMPTS_DURING_LONG_RUN;
    }

    private static boolean isDead(ChainUpstream u) {
        return u.health().errorRate() >= DEAD_ERROR_RATE;
    }

    private ChainUpstream asked(ChainUpstream u) {
        runAtFirstAsk.putIfAbsent(u.name(), u.health().consecutiveFailures());
        attempts.merge(u.name(), 1, Integer::sum);
        return u;
    }
}
