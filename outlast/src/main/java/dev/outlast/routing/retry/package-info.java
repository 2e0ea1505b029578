/**
 * The retry engine routing's failover runs on, reusable by anything that retries a request over
 * several targets: {@link dev.outlast.routing.retry.RetryPolicy} (which failures are worth another
 * try, the budget of extra attempts per request, the pauses between them, when a target is dead or
 * capped), {@link dev.outlast.routing.retry.RetryBudget} (one request's budget and whom it asked),
 * {@link dev.outlast.routing.retry.RetryQueue} (the targets waiting for a retry, flaky before dead)
 * and {@link dev.outlast.routing.retry.RetryTarget} (what they read of a target's health). A
 * chain's {@code Candidates} retries upstreams on it, a site's {@code OriginRetries} origins. It
 * depends on nothing but {@link dev.outlast.transport.FailureKind}.
 */
package dev.outlast.routing.retry;
