package dev.outlast.site;

import dev.outlast.routing.retry.RetryBudget;
import dev.outlast.routing.retry.RetryPolicy;
import dev.outlast.routing.retry.RetryQueue;
import dev.outlast.time.Ticker;
import dev.outlast.transport.FailureKind;
import java.time.Duration;
import java.util.List;

/**
 * The retries of one site request, on routing's retry engine ({@link RetryPolicy#DEFAULT},
 * {@link RetryBudget}, {@link RetryQueue}): after every origin in {@link Site#order()} was tried
 * once, an origin whose failure was transient is asked again, within the budget of extra attempts
 * per request, after the policy's pause (longer after a connection-level failure than after a 5xx or
 * a vendor page, and growing with its attempts), flaky before dead, and never once the request's
 * {@linkplain #deadlineNanos deadline} has passed.
 *
 * <h2>Implementation note</h2>
 * The engine's input is the site's own order, not an order of its own: a site's origins are listed
 * by preference (the primary path first, standby paths through other vendors after it, which keeps
 * each vendor's cache warm and the costs predictable), unlike a chain's upstreams, which are
 * interchangeable and ranked by score. So the first pass keeps that order, and the retry queue,
 * which ranks origins by their run of failures, then by how often this request asked them, then by
 * error rate, breaks ties by the order in which they failed: the preference order again. An origin
 * failing nearly every call is dead, and one on a long run of failures is capped, as for upstreams
 * ({@link RetryPolicy}); an origin that cannot be asked even as a last resort (drained) is skipped.
 * Whether the request may be sent again at all is not decided here but by {@link FailoverRules}
 * (a request that may have reached an origin is never repeated unless it is safe to), and by
 * whether its body could be kept ({@link ReplayableBody}).
 *
 * <p>Made at the request's first failure that may be retried, so that a request answered at the
 * first try allocates nothing for retries; the origins it asked before are counted from then.
 *
 * <p>Not thread-safe: confined to the request's event loop, as its {@link ProxyCall}.
 */
final class OriginRetries {

    /**
     * A request's deadline, in response timeouts from when it began: no retry starts after it, and
     * a retry's response timeout is cut to what is left of it.
     */
    static final int DEADLINE_RESPONSE_TIMEOUTS = 2;

    private static final RetryPolicy POLICY = RetryPolicy.DEFAULT;

    private final Ticker ticker;
    private final long responseTimeoutNanos;
    private final long deadline;
    private final RetryBudget budget;
    private final RetryQueue<Origin> queue;

    /**
     * @param start when the request began (ticker nanos)
     * @param asked the origins the request asked so far, in order, with repeats
     */
    OriginRetries(Ticker ticker, Duration responseTimeout, long start, List<Origin> asked) {
        this.ticker = ticker;
        this.responseTimeoutNanos = responseTimeout.toNanos();
        this.deadline = start + deadlineNanos(responseTimeout);
        this.budget = new RetryBudget(POLICY);
        this.queue = new RetryQueue<>(budget);
        asked.forEach(budget::asked);
    }

    /** How long after it began a request with {@code responseTimeout} stops retrying. */
    static long deadlineNanos(Duration responseTimeout) {
        return DEADLINE_RESPONSE_TIMEOUTS * responseTimeout.toNanos();
    }

    /** Records that {@code origin} is asked (in the first pass, once this exists). */
    void asked(Origin origin) {
        budget.asked(origin);
    }

    /**
     * {@code origin} failed with {@code kind}, and the request may be sent again: a transient failure
     * queues it for a retry after the policy's pause, unless it is already queued, dead or capped, or
     * the budget is spent.
     */
    void failed(Origin origin, FailureKind kind) {
        if (POLICY.isTransient(kind) && budget.hasRetries() && !queue.contains(origin) && !budget.isDead(origin)
                && !budget.isCapped(origin)) {
            queue.add(origin, ticker.nanos() + POLICY.spacingNanos(kind, budget.attempts(origin.name())));
        }
    }

    /** True when a failure of {@code kind} is worth a retry of the same origin. */
    static boolean isTransient(FailureKind kind) {
        return POLICY.isTransient(kind);
    }

    /**
     * The origin to retry now, its extra attempt spent, or null: none is left, or the deadline has
     * passed (then {@link #waitNanos()} is negative), or the first in retry order is still pausing.
     */
    Origin next() {
        while (remainingNanos() > 0 && !queue.isEmpty() && budget.hasRetries()) {
            Origin origin = queue.next(ticker.nanos());
            if (origin == null) {
                return null;
            }
            queue.remove(origin);
            if (origin.health().current().isAvailableAsFallback(ticker.nanos()) && !budget.isDead(origin) && !budget.isCapped(origin)) {
                budget.spend();
                budget.asked(origin);
                return origin;
            }
        }
        return null;
    }

    /**
     * How long until the retry {@link #next()} could not make yet is due; -1 when there is none, or
     * when it would come after the deadline.
     */
    long waitNanos() {
        long wait = queue.isEmpty() || !budget.hasRetries() ? -1 : queue.waitNanos();
        return wait >= 0 && wait < remainingNanos() ? wait : -1;
    }

    /** The response timeout of a retry made now: the site's, cut to what is left of the deadline. */
    Duration timeout() {
        return Duration.ofNanos(Math.min(responseTimeoutNanos, remainingNanos()));
    }

    private long remainingNanos() {
        return deadline - ticker.nanos();
    }
}
