package dev.outlast.routing;

/**
 * What the retry policy reads of something it may ask again: its name and the health numbers that
 * rank it. {@link ChainUpstream} is one; nothing in {@link RetryBudget} or {@link RetryQueue} needs more.
 *
 * <p>Implementations are thread-safe.
 */
interface RetryTarget {

    String name();

    /** How many calls in a row failed; 0 after a success. */
    int consecutiveFailures();

    /** The recent failure ratio in [0, 1]. */
    double errorRate();
}
