package dev.outlast.routing;

import dev.outlast.routing.retry.RetryBudget;
import dev.outlast.routing.retry.RetryPolicy;
import dev.outlast.routing.retry.RetryQueue;
import dev.outlast.time.Ticker;
import dev.outlast.transport.FailureKind;
import dev.outlast.upstream.RpcErrorClassifier;
import dev.outlast.upstream.UpstreamReply;
import java.util.List;
import java.util.function.Consumer;

/**
 * The upstreams one request may ask, in the order to ask them: first the pass of
 * {@link CandidateOrder} (a recovering upstream only if it admits the request), then again each
 * upstream whose failure was transient, in the order and within the budget of the
 * {@link RetryPolicy} ({@link RetryBudget}, {@link RetryQueue}), and the upstreams waited on to catch
 * up with the block ({@link LagWait}). An upstream whose rate budget has no token, or that is inside
 * a 429's Retry-After, is passed over and offered again when the caller has nothing else and waits
 * for it ({@link ThrottleWait}). A last resort costs only latency and a few calls, and is taken only
 * when the alternative is an error for the client.
 *
 * <p>The state of each policy is made only when the request needs it: a request answered at the
 * first ask keeps no retry queue, lag wait or throttle wait. Time is the chain's {@link Ticker}.
 *
 * <p>Not thread-safe: owned by one call, under its monitor.
 */
final class Candidates {

    private static final Consumer<ChainUpstream> NO_REFRESH = u -> { };

    private final RetryPolicy policy;
    private final Ticker ticker;
    private final CandidateOrder order;
    private final RetryBudget budget;
    private RetryQueue<ChainUpstream> retries;
    private LagWait lag;
    private ThrottleWait throttle;
    /** The block the request is pinned to, -1 when none. */
    private long block = -1;
    /** How far behind {@link #block} an upstream's reported head may be before its unpinned answers are stale. */
    private long maxBehind = Long.MAX_VALUE;
    private long retryWait = -1;
    private Consumer<ChainUpstream> headRefresh = NO_REFRESH;

    /**
     * @param fallback  mutable: usable upstreams that do not admit the request are added to it
     * @param farBehind honest upstreams last seen too far behind the pinned block to be asked unless
     *                  nothing else can answer: offered only once a call has failed, or when the others
     *                  are fewer than {@linkplain #needs needed} (never to hedge a call that is merely slow)
     * @param ticker    the chain's time, for the pauses before retries and the waits
     */
    Candidates(List<ChainUpstream> primary, List<ChainUpstream> fallback, List<ChainUpstream> farBehind,
               Ticker ticker) {
        this(RetryPolicy.DEFAULT, primary, fallback, farBehind, ticker);
    }

    Candidates(RetryPolicy policy, List<ChainUpstream> primary, List<ChainUpstream> fallback,
               List<ChainUpstream> farBehind, Ticker ticker) {
        this.policy = policy;
        this.ticker = ticker;
        this.order = new CandidateOrder(primary, fallback, farBehind);
        this.budget = new RetryBudget(policy);
    }

    /**
     * Upstreams that said 429 and whose Retry-After has not passed. They are not asked before it
     * has; a request with nothing else to ask waits for the first of them (within its deadline)
     * rather than fail, as for a spent rate budget.
     */
    void rateLimited(List<ChainUpstream> upstreams) {
        if (!upstreams.isEmpty()) {
            throttle().rateLimited(upstreams);
        }
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
     * reported head reaches the block, and a request with nothing else to ask waits for that (see
     * {@link LagWait}).
     */
    void stale(ChainUpstream u) {
        order.failed();
        lag().stale(u, ticker.nanos() + policy.lagWaitNanos());
    }

    /**
     * How to have an upstream's head polled now: called for each upstream this request waits on to
     * catch up whenever it looks at their heads, since a polled head is up to a poll interval old.
     */
    void refreshHeadsWith(Consumer<ChainUpstream> refresh) {
        headRefresh = refresh;
    }

    /** How many upstreams must answer (a consensus read's quorum); 1 by default. */
    void needs(int k) {
        order.needs(k);
    }

    /** The timeout for one attempt on {@code u} with {@code remainingNanos} left of the deadline. */
    long timeoutNanos(ChainUpstream u, long remainingNanos) {
        return policy.timeoutNanos(u.health().isUsable(), remainingNanos);
    }

    /** How many distinct upstreams could be asked. */
    int distinct() {
        return order.distinct();
    }

    /** The next upstream to ask, or null when none is left. */
    ChainUpstream next() {
        ChainUpstream u;
        while (throttle != null && (u = throttle.nextAgain()) != null) {
            if (u.health().isAvailableAsFallback() && taken(u)) {
                return asked(u);
            }
        }
        while ((u = order.nextPrimary()) != null) {
            if (!u.health().budget().hasToken()) {
                throttle().outOfBudget(u);
                continue;
            }
            if (u.health().tryAdmit()) {
                u.health().budget().tryTake();
                return asked(u);
            }
            if (u.health().isAvailableAsFallback()) {
                order.demote(u);
            }
        }
        while ((u = order.nextFallback()) != null) {
            if (!budget.wasAsked(u.name()) && u.health().isAvailableAsFallback() && taken(u)) {
                return asked(u);
            }
        }
        while ((u = order.nextFarBehind()) != null) {
            if (!budget.wasAsked(u.name()) && u.health().isAvailableAsFallback()) {
                return asked(u);
            }
        }
        retryWait = -1;
        if (lag != null && block >= 0) {
            u = lag.caughtUp(block, budget, this::mayAskAgain, headRefresh);
            if (u != null) {
                return asked(u);
            }
        }
        while (retries != null && !retries.isEmpty() && budget.hasRetries()) {
            u = retries.next(ticker.nanos());
            if (u == null) {
                retryWait = retries.waitNanos();
                return null;
            }
            retries.remove(u);
            if (u.health().isAvailableAsFallback() && !budget.isDead(u) && !budget.isCapped(u) && taken(u)) {
                budget.spend();
                return asked(u);
            }
        }
        return null;
    }

    private boolean mayAskAgain(ChainUpstream u) {
        return u.health().isAvailableAsFallback() && !budget.isDead(u) && taken(u);
    }

    /** Takes a token from {@code u}'s budget, or sets it aside for {@link #waitNanos}. */
    private boolean taken(ChainUpstream u) {
        if (u.health().budget().tryTake()) {
            return true;
        }
        throttle().outOfBudget(u);
        return false;
    }

    /**
     * How long until an upstream passed over for its rate budget has a token again, one that
     * failed may be retried, one that said 429 is past its Retry-After, or the heads of those that
     * answered from behind are looked at again; -1 when none is waiting. A request that would
     * otherwise fail waits this long instead: requests over a provider's budget or limit wait or go
     * elsewhere, they are not dropped.
     */
    long waitNanos() {
        long wait = retryWait;
        if (lag != null) {
            wait = RetryQueue.earliest(wait, lag.waitNanos(ticker.nanos(), policy.lagRecheckNanos(), budget));
        }
        if (throttle != null) {
            wait = RetryQueue.earliest(wait, throttle.waitNanos());
        }
        return wait;
    }

    /**
     * Offers the upstreams set aside for their budget or a 429 again (after {@link #waitNanos});
     * pausing retries come due by themselves.
     */
    void offerAgain() {
        if (throttle != null) {
            throttle.offerAgain();
        }
    }

    /** True when a later {@link #next()} may still return an upstream. */
    boolean hasMore() {
        return order.notYetOffered() || (retries != null && !retries.isEmpty() && budget.hasRetries());
    }

    /**
     * True when an upstream not yet asked in this request may still be offered (a retry is not
     * one): before retrying failures, a consensus read whose answers differed asks its voters again.
     */
    boolean hasFresh() {
        return (throttle != null && throttle.hasAgain()) || order.notYetOffered();
    }

    /**
     * Records a failure; a transient one makes the upstream worth another try, within the budget,
     * unless it is dead or on a long run and already asked as often as that allows. A 429 with a
     * Retry-After sets it aside until then, for one retry of the budget.
     */
    void failed(ChainUpstream u, FailureKind kind) {
        order.failed();
        if (kind == FailureKind.RATE_LIMITED && budget.hasRetries() && u.health().retryAfterNanos() > 0
                && (throttle == null || !throttle.isRateLimited(u))) {
            // Asked again after its Retry-After, if nothing else answers first (see waitNanos).
            throttle().rateLimited(u);
            budget.spend();
            return;
        }
        if (policy.isTransient(kind) && budget.hasRetries() && !queued(u) && !budget.isDead(u)
                && !budget.isCapped(u)) {
            retries().add(u, ticker.nanos() + policy.spacingNanos(kind, budget.attempts(u.name())));
        }
    }

    /**
     * Records a failed reply. A node that answered it does not have the asked block (yet) is a
     * transient failure too, retried once after {@link RetryPolicy#blockRetrySpacingNanos}: a node a
     * block or two behind, or one just back from a lag, has the block moments later, and for a quorum
     * read it may be the only other upstream that can answer. Once only, unless its reported head
     * later reaches the {@linkplain #block block} (at or below the chain's served head, so the node
     * is behind: a request with nothing else to ask waits a while for that, see {@link LagWait}). A
     * block nobody has yet (a client asking ahead of the chain, no block set) is not worth more of
     * the deadline.
     */
    void failed(ChainUpstream u, UpstreamReply reply) {
        if (reply.failure() == FailureKind.NODE_ERROR && reply.error() != null
                && RpcErrorClassifier.blockNotYetKnown(reply.error())) {
            order.failed();
            if (budget.hasRetries() && !queued(u) && !budget.isDead(u)
                    && retries().addBlockRetry(u, ticker.nanos() + policy.blockRetrySpacingNanos())) {
                return;
            }
            if (block >= 0 && !queued(u)) {
                lag().lacksBlock(u, ticker.nanos() + policy.lagWaitNanos());
            }
            return;
        }
        failed(u, reply.failure());
    }

    private boolean queued(ChainUpstream u) {
        return retries != null && retries.contains(u);
    }

    private ChainUpstream asked(ChainUpstream u) {
        budget.asked(u);
        return u;
    }

    private RetryQueue<ChainUpstream> retries() {
        if (retries == null) {
            retries = new RetryQueue<>(budget);
        }
        return retries;
    }

    private LagWait lag() {
        if (lag == null) {
            lag = new LagWait();
        }
        return lag;
    }

    private ThrottleWait throttle() {
        if (throttle == null) {
            throttle = new ThrottleWait();
        }
        return throttle;
    }
}
