package dev.outlast.routing;

import dev.outlast.routing.retry.RetryQueue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The upstreams one request set aside because they asked it to slow down: passed over because
 * their rate budget ({@link dev.outlast.health.RateBudget}) had no token, or inside the Retry-After
 * of a 429. Neither is asked before its time; a request with nothing else to ask waits for the
 * first of them (within its deadline) rather than fail, then has them offered again.
 *
 * <p>Not thread-safe: owned by one request's {@link Candidates}, made when the first is set aside.
 */
final class ThrottleWait {

    private final List<ChainUpstream> outOfBudget = new ArrayList<>();
    private final List<ChainUpstream> rateLimited = new ArrayList<>();
    /** Offered again after the wait, before anything else. */
    private final List<ChainUpstream> again = new ArrayList<>();

    /** {@code u} had no token in its rate budget. */
    void outOfBudget(ChainUpstream u) {
        outOfBudget.add(u);
    }

    /** {@code u} said 429 and its Retry-After has not passed. */
    void rateLimited(ChainUpstream u) {
        rateLimited.add(u);
    }

    void rateLimited(List<ChainUpstream> upstreams) {
        rateLimited.addAll(upstreams);
    }

    boolean isRateLimited(ChainUpstream u) {
        return rateLimited.contains(u);
    }

    /** The next upstream offered again, or null when none is left. */
    ChainUpstream nextAgain() {
        return again.isEmpty() ? null : again.removeFirst();
    }

    boolean hasAgain() {
        return !again.isEmpty();
    }

    /** How long until the first set-aside upstream may be asked; -1 when none is set aside. */
    long waitNanos() {
        long wait = -1;
        for (ChainUpstream u : outOfBudget) {
            wait = RetryQueue.earliest(wait, u.health().budget().nanosUntilToken());
        }
        for (ChainUpstream u : rateLimited) {
            wait = RetryQueue.earliest(wait, u.health().retryAfterNanos());
        }
        return wait;
    }

    /** Offers again every upstream passed over for its budget, and those whose Retry-After has passed. */
    void offerAgain() {
        again.addAll(outOfBudget);
        outOfBudget.clear();
        for (Iterator<ChainUpstream> it = rateLimited.iterator(); it.hasNext(); ) {
            ChainUpstream u = it.next();
            if (u.health().retryAfterNanos() == 0) {
                again.add(u);
                it.remove();
            }
        }
    }
}
