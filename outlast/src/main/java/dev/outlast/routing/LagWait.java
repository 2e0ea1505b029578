package dev.outlast.routing;

import dev.outlast.routing.retry.RetryBudget;
import dev.outlast.routing.retry.RetryPolicy;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The upstreams one request waits on to catch up: those that said they lack the block after their
 * one retry, and those whose answer came from too far behind to count.
 *
 * <h2>Implementation note</h2>
 * Each is remembered with the head it reported then. Once its reported head has reached the block
 * (and moved since it was last asked) it is asked again: a node whose lag ends while the request
 * runs is the vote a quorum read may need. Its first re-ask is made even when failures elsewhere
 * spent the retry budget: it is not a retry of a failing upstream but the first chance of one that
 * could not answer before. Later re-asks of a node that lacked the block again are retries, within
 * the budget. A request with nothing else to ask waits for that until {@link RetryPolicy#lagWaitNanos}
 * after the last such answer, and has the heads of those still short of the block polled out of
 * turn while it waits, since a polled head is up to a poll interval old.
 *
 * <p>Not thread-safe: owned by one request's {@link Candidates}, made at the first such answer.
 */
final class LagWait {

    /** Each upstream waited on, with its reported head when it answered from behind. */
    private final Map<ChainUpstream, Long> lagging = new LinkedHashMap<>();
    /** Among {@link #lagging}, those whose answer was not counted for coming from too far behind. */
    private final Set<String> staleVoters = new HashSet<>();
    /** Upstreams asked again once their head reached the block. */
    private final Set<String> caughtUpAsked = new HashSet<>();
    /** Until when (ticker nanos) a request with nothing else to ask waits. */
    private long until = Long.MIN_VALUE;

    /** {@code u} answered from too far behind: its answer was no vote; waited on until {@code until}. */
    void stale(ChainUpstream u, long until) {
        lagging.put(u, u.health().head());
        staleVoters.add(u.name());
        this.until = until;
    }

    /** {@code u} lacks the block after its retry: waited on until {@code until}. */
    void lacksBlock(ChainUpstream u, long until) {
        lagging.put(u, u.health().head());
        this.until = until;
    }

    /**
     * The first upstream whose reported head has reached {@code block} since, which {@code mayAsk}
     * admits (taking its rate token); the budget is spent unless it is a free re-ask. Upstreams still
     * short of the block are handed to {@code refresh}. Null when none is ready.
     */
    ChainUpstream caughtUp(long block, RetryBudget budget, Predicate<ChainUpstream> mayAsk,
                           Consumer<ChainUpstream> refresh) {
        for (Iterator<Map.Entry<ChainUpstream, Long>> it = lagging.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ChainUpstream, Long> e = it.next();
            ChainUpstream u = e.getKey();
            boolean free = freeReask(u);
            long head = u.health().head();
            if ((free || budget.hasRetries()) && head >= block && head > e.getValue()) {
                it.remove();
                staleVoters.remove(u.name());
                if (mayAsk.test(u)) {
                    if (!free) {
                        budget.spend();
                    }
                    caughtUpAsked.add(u.name());
                    return u;
                }
            } else if (head < block) {
                refresh.accept(u);
            }
        }
        return null;
    }

    /** True while an upstream waited on would be asked once its head reaches the block. */
    boolean awaiting(RetryBudget budget) {
        for (ChainUpstream u : lagging.keySet()) {
            if ((freeReask(u) || budget.hasRetries()) && u.health().isAvailableAsFallback() && !budget.isDead(u)) {
                return true;
            }
        }
        return false;
    }

    /** How long to wait before looking at the heads again at {@code now}; -1 when the wait is over. */
    long waitNanos(long now, long recheckNanos, RetryBudget budget) {
        long left = until - now;
        return left > 0 && awaiting(budget) ? Math.min(recheckNanos, left) : -1;
    }

    private boolean freeReask(ChainUpstream u) {
        return staleVoters.contains(u.name()) || !caughtUpAsked.contains(u.name());
    }
}
