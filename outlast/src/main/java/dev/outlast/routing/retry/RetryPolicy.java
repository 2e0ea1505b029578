package dev.outlast.routing.retry;

import dev.outlast.transport.FailureKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * How one request spends extra attempts on upstreams that failed, and how long it waits for them:
 * every constant of the retry policy, in one place. {@link #DEFAULT} is the policy every chain and
 * every site uses (a site's origins are what it retries; the block and lag waits are a chain's
 * only).
 *
 * <h2>Implementation note</h2>
 * A transient failure (a 5xx, a vendor page, a reset, a refused connection, a malformed body) makes
 * an upstream worth another try, within {@code retryBudget} extra attempts per request in all. An
 * upstream failing nearly every call ({@code deadErrorRate} of recent calls) is dead rather than
 * flaky and not retried within a request. A run of failures alone never makes an upstream dead:
 * under load a flaky upstream has long runs now and then, and giving up on it then is a
 * client-visible error, while retrying a dead one costs a fast failure. A run of {@code longRun}
 * failures only caps how often one request asks it ({@code attemptsDuringLongRun}): failing every
 * call at the start of an outage (not yet dead by its error rate), it would otherwise take the
 * budget, leaving too little for a flaky upstream that would have answered. The run is long enough
 * that a flaky upstream seldom has one: at 40% failures a run of 16 is about one in 2.3 million
 * calls (a run of 8 came now and then under load, and a quorum read whose only other voter was
 * capped at three tries ended short, 0.4^3), while an upstream failing every call reaches it within
 * its first second of traffic. The run counted is the one the upstream was on when the request
 * first asked it, so the request's own failures do not cap it.
 *
 * <p>The same upstream is retried only after a pause, times its attempts in the request (at most
 * {@code maxSpacingFactor} times): after a connection-level failure (a reset, a refused connection,
 * a cut body) the pooled connection the retry would take is often the one being closed, and an
 * immediate retry fails the same way; after a 5xx or a vendor page the pause is half as long, so
 * that a string of retries against a failing upstream is spread over time instead of spent at once.
 * A node that said it does not have the asked block yet is retried once, {@code blockRetrySpacing}
 * later. A request with nothing else to ask waits up to {@code lagWait} for a node that answered
 * from behind to catch up, looking at its head every {@code lagRecheck}: a node back from a lag is
 * the vote a quorum read may need, and a node stuck far behind must not hold every request for its
 * whole deadline. An upstream that is not usable (down, probing) is waited for at most
 * {@code lastResortTimeout}, so a black hole tried as a last resort cannot eat the whole deadline.
 *
 * <p>Immutable; thread-safe.
 *
 * @param retryBudget           extra attempts one request may spend on upstreams that failed
 *                              transiently (default 10)
 * @param longRun               failures in a row after which an upstream is on a long run (default 16)
 * @param attemptsDuringLongRun how often one request asks an upstream on a long run (default 3, a
 *                              fifth of the retry budget plus the first ask)
 * @param deadErrorRate         the error rate from which an upstream is dead, not retried within a
 *                              request (default 0.95)
 * @param retrySpacingNanos     the pause before the same upstream is retried after a connection-level
 *                              failure; half of it after a 5xx or a vendor page (default 20 ms)
 * @param maxSpacingFactor      the most the pause is multiplied by the upstream's attempts (default 5)
 * @param blockRetrySpacingNanos the pause before a node without the block is asked again (default 100 ms)
 * @param lagWaitNanos          how long a request with nothing else to ask waits for a node that
 *                              answered from behind to catch up (default 1 s)
 * @param lagRecheckNanos       how often such a request looks at the node's head again (default 50 ms)
 * @param lastResortTimeoutNanos the longest one attempt on an upstream that is not usable is waited
 *                              for (default 2 s)
 */
public record RetryPolicy(int retryBudget, int longRun, int attemptsDuringLongRun, double deadErrorRate,
                   long retrySpacingNanos, int maxSpacingFactor, long blockRetrySpacingNanos, long lagWaitNanos,
                   long lagRecheckNanos, long lastResortTimeoutNanos) {

    /** The policy of every chain and every site. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(10, 16, 1 + 10 / 5, 0.95, nanos(Duration.ofMillis(20)), 5,
            nanos(Duration.ofMillis(100)), nanos(Duration.ofSeconds(1)), nanos(Duration.ofMillis(50)),
            nanos(Duration.ofSeconds(2)));

    /** Failures worth another try: the next call to the same upstream may well succeed. */
    private static final Set<FailureKind> TRANSIENT = EnumSet.of(FailureKind.HTTP_5XX, FailureKind.VENDOR_PAGE,
            FailureKind.RESET, FailureKind.CONNECT, FailureKind.BAD_RESPONSE);
    /** Transient failures of the connection itself, retried after the full pause. */
    private static final Set<FailureKind> CONNECTION_LEVEL = EnumSet.of(FailureKind.RESET, FailureKind.CONNECT,
            FailureKind.BAD_RESPONSE);

    /** Checks every value; throws {@link IllegalArgumentException} naming the first one out of range. */
    public RetryPolicy {
        atLeast("retryBudget", retryBudget, 0);
        atLeast("longRun", longRun, 1);
        atLeast("attemptsDuringLongRun", attemptsDuringLongRun, 1);
        atLeast("maxSpacingFactor", maxSpacingFactor, 1);
        if (!(deadErrorRate > 0 && deadErrorRate <= 1)) {
            throw new IllegalArgumentException("deadErrorRate: " + deadErrorRate + " (expected: > 0 and <= 1)");
        }
        atLeast("retrySpacingNanos", retrySpacingNanos, 0);
        atLeast("blockRetrySpacingNanos", blockRetrySpacingNanos, 0);
        atLeast("lagWaitNanos", lagWaitNanos, 0);
        atLeast("lagRecheckNanos", lagRecheckNanos, 1);
        atLeast("lastResortTimeoutNanos", lastResortTimeoutNanos, 1);
    }

    private static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
        }
    }

    private static long nanos(Duration d) {
        return d.toNanos();
    }

    /** True for a failure worth another try on the same upstream. */
    public boolean isTransient(FailureKind kind) {
        return TRANSIENT.contains(kind);
    }

    /** The pause before an upstream that failed with {@code kind}, asked {@code attempts} times, is retried. */
    public long spacingNanos(FailureKind kind, int attempts) {
        long spacing = CONNECTION_LEVEL.contains(kind) ? retrySpacingNanos : retrySpacingNanos / 2;
        return Math.min(maxSpacingFactor, Math.max(1, attempts)) * spacing;
    }

    /** True when an upstream failing this share of its calls is dead: not retried within a request. */
    public boolean isDead(double errorRate) {
        return errorRate >= deadErrorRate;
    }

    /**
     * True when an upstream that was on a run of {@code runAtFirstAsk} failures when the request
     * first asked it has had all the attempts the request gives such an upstream.
     */
    public boolean isCapped(int runAtFirstAsk, int attempts) {
        return runAtFirstAsk >= longRun && attempts >= attemptsDuringLongRun;
    }

    /** The timeout for one attempt: what is left of the deadline, shorter for an upstream that is not usable. */
    public long timeoutNanos(boolean usable, long remainingNanos) {
        return usable ? remainingNanos : Math.min(remainingNanos, lastResortTimeoutNanos);
    }
}
