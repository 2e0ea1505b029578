package dev.outlast.routing.retry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The upstreams one request may retry, each with the time its pause ends.
 *
 * <h2>Implementation note</h2>
 * The retry to make is the first in retry order: the fewest failures in a row first (a flaky
 * upstream before one that fails every call: at the start of an outage the dead one's error rate
 * is still low, but its run of failures is already long), then the one asked least often in this
 * request (the budget is spread, not spent on one), then the lowest error rate. That first one is
 * waited for when its pause is not over, not traded for a worse one due sooner: taking whichever
 * was due gave an upstream failing every call (short pauses after its fast failures) half the
 * budget, and a quorum read's only other voter too few tries. A node that said it lacks the block
 * stands apart: it has no run of failures to rank it by, so it is asked when its pause is over, and
 * never waited for while a retry of an upstream that has the block can go. Such a node is queued
 * once per request.
 *
 * <p>Not thread-safe: owned by one request (a chain's {@code routing.Candidates}, a site's
 * {@code site.OriginRetries}), made at its first retryable failure.
 *
 * @param <T> what is retried: a chain's upstream, a site's origin
 */
public final class RetryQueue<T extends RetryTarget> {

    private final List<T> waiting = new ArrayList<>();
    /** When each queued upstream may be asked again (ticker nanos). */
    private final Map<String, Long> dueAt = new HashMap<>();
    /** Queued for "header not found", not for a transient failure. */
    private final Set<String> blockWaiting = new HashSet<>();
    /** Queued once already for "header not found". */
    private final Set<String> blockRetried = new HashSet<>();
    private final Comparator<T> order;
    private long wait = -1;

    /** An empty queue ranking by {@code budget}'s attempts, among the rest. */
    public RetryQueue(RetryBudget budget) {
        this.order = Comparator.comparingInt((T x) -> x.consecutiveFailures())
                .thenComparingInt(x -> budget.attempts(x.name()))
                .thenComparingDouble(x -> x.errorRate());
    }

    /** True when no target waits for a retry. */
    public boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** True when {@code target} waits for a retry. */
    public boolean contains(T target) {
        return waiting.contains(target);
    }

    /** Queues {@code target}, after a transient failure, to be asked again from {@code due} on. */
    public void add(T target, long due) {
        waiting.add(target);
        dueAt.put(target.name(), due);
    }

    /**
     * Queues {@code target}, which said it lacks the block, to be asked again from {@code due} on;
     * false (nothing queued) when it was queued for that before in this request.
     */
    public boolean addBlockRetry(T target, long due) {
        if (!blockRetried.add(target.name())) {
            return false;
        }
        waiting.add(target);
        blockWaiting.add(target.name());
        dueAt.put(target.name(), due);
        return true;
    }

    /** Takes {@code target} off the queue. */
    public void remove(T target) {
        waiting.remove(target);
        blockWaiting.remove(target.name());
    }

    /** The retry to make at {@code now}, or null when it must be waited for ({@link #waitNanos}). */
    public T next(long now) {
        T best = null;
        T blockDue = null;
        long blockWait = -1;
        for (T x : waiting) {
            long until = dueAt.getOrDefault(x.name(), now) - now;
            if (blockWaiting.contains(x.name())) {
                if (until <= 0) {
                    blockDue = x;
                } else {
                    blockWait = earliest(blockWait, until);
                }
            } else if (best == null || order.compare(x, best) < 0) {
                best = x;
            }
        }
        long bestWait = best == null ? -1 : dueAt.getOrDefault(best.name(), now) - now;
        if (best != null && bestWait <= 0) {
            return best;
        }
        if (blockDue != null) {
            return blockDue;
        }
        wait = earliest(bestWait, blockWait);
        return null;
    }

    /** How long until the retry the last {@link #next} found not yet due may be made. */
    public long waitNanos() {
        return wait;
    }

    /** The sooner of two waits in nanoseconds, where a negative one means "nothing to wait for". */
    public static long earliest(long a, long b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }
}
