package dev.outlast.routing.retry;

/**
 * What the retry policy reads of something it may ask again: its name and the health numbers that
 * rank it. A chain's upstream ({@code routing.ChainUpstream}) and a site's origin ({@code site.Origin})
 * are; nothing in {@link RetryBudget} or {@link RetryQueue} needs more.
 *
 * <p>Implementations are thread-safe.
 */
public interface RetryTarget {

    /** The name that tells targets apart within one request. */
    String name();

    /** How many calls in a row failed; 0 after a success. */
    int consecutiveFailures();

    /** The recent failure ratio in [0, 1]. */
    double errorRate();
}
