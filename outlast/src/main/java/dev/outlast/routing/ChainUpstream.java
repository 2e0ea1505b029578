package dev.outlast.routing;

import dev.outlast.health.UpstreamHealth;
import dev.outlast.routing.retry.RetryTarget;
import dev.outlast.upstream.Upstream;

/** One upstream of a chain together with its health. Thread-safe (both parts are). */
public record ChainUpstream(Upstream upstream, UpstreamHealth health) implements RetryTarget {

    @Override
    public String name() {
        return upstream.name();
    }

    /** How many calls in a row failed (rate limits and node errors aside); 0 after a success. */
    @Override
    public int consecutiveFailures() {
        return health.consecutiveFailures();
    }

    /** The recent failure ratio in [0, 1]. */
    @Override
    public double errorRate() {
        return health.errorRate();
    }
}
