package dev.outlast.health;

import dev.outlast.time.Ticker;
import dev.outlast.transport.FailureKind;
import dev.outlast.upstream.UpstreamReply;

/**
 * The health of one chain upstream: its {@link EndpointHealth} (circuit, error rate, latency,
 * Retry-After, drain), which carries its {@link NodeState} (chain id, head, lag, quarantine) in
 * the same published {@link HealthView}, and its {@link RateBudget}.
 *
 * <p>The state is derived from both, in this order: misconfigured (wrong chain id), drained, down
 * while the chain id is not verified, quarantined, down while the circuit is open or half-open,
 * lagging, degraded (rate limited, errors, ramping up after recovery), healthy. The rate budget is
 * the upstream's own: a provider sells a request rate, and routing spreads requests under it; a
 * site's origins are tried in order, never load-spread, so they have none. A 429 lowers the budget
 * and, through the endpoint, keeps the upstream out until its {@code Retry-After}.
 *
 * <p>Thread-safe: see {@link EndpointHealth}; the getters read {@link #current()} once each, so a
 * decision that needs several facts should read {@link #current()} once itself.
 */
public final class UpstreamHealth {

    private final Ticker ticker;
    private final RateBudget budget;
    private final EndpointHealth endpoint;

    public UpstreamHealth(String name, Ticker ticker, EndpointHealth.Listener listener) {
        this(name, ticker, listener, 0);
    }

    /** @param rateLimit requests per second the provider allows; 0 for no configured limit */
    public UpstreamHealth(String name, Ticker ticker, EndpointHealth.Listener listener, double rateLimit) {
        this.ticker = ticker;
        this.budget = new RateBudget(ticker, rateLimit);
        this.endpoint = new EndpointHealth(name, ticker, listener, NodeState.starting(ticker.nanos()), true);
    }

    public String name() {
        return endpoint.name();
    }

    /** The health as of the last change; its {@link HealthView#node()} is never null. */
    public HealthView current() {
        return endpoint.current();
    }

    /** The endpoint part, shared in kind with site origins (drains act on it). */
    public EndpointHealth endpoint() {
        return endpoint;
    }

    /** The upstream's request budget (configured limit, adapted to its 429s). */
    public RateBudget budget() {
        return budget;
    }

    /** Records what one call produced. */
    public void record(UpstreamReply reply) {
        if (reply.failure() == FailureKind.RATE_LIMITED) {
            budget.onRateLimited();
        }
        endpoint.record(reply);
    }

    /**
     * Marks the upstream as having given a wrong answer; it is excluded for a growing backoff.
     *
     * @return true when this starts a quarantine, false when it was already quarantined
     */
    public boolean quarantine(String why) {
        return endpoint.changeNode((node, now) -> node.quarantine(why, now));
    }

    /** The result of a chain id check: {@code null} when it matched, else why it did not. */
    public void chainIdChecked(String mismatch) {
        endpoint.changeNode((node, now) -> node.chainIdChecked(mismatch));
    }

    /** Records how far the upstream's reported head is behind the chain's served head. */
    public void lag(long lagBlocks, boolean isLagging) {
        endpoint.changeNode((node, now) -> node.lag(lagBlocks, isLagging));
    }

    /**
     * Records a head the upstream itself just reported (a poll), which also dates it. It may be
     * lower than the one before: a node that stalls or resyncs says so, and from then on its
     * answers about the latest state are that older block's.
     */
    public void headReported(long block) {
        endpoint.changeNode((node, now) -> node.headReported(block, now));
    }

    /** See {@link EndpointHealth#tryAdmit()}. */
    public boolean tryAdmit() {
        return endpoint.tryAdmit();
    }

    /** See {@link EndpointHealth#drain}. */
    public void drain(String why) {
        endpoint.drain(why);
    }

    /** Ends a {@link #drain}. */
    public void restore() {
        endpoint.restore();
    }

    public boolean isDrained() {
        return endpoint.isDrained();
    }

    /** True when user traffic could go to this upstream now; reserves nothing. */
    public boolean isUsable() {
        return endpoint.isUsable();
    }

    /** See {@link HealthView#isAvailableAsFallback}. */
    public boolean isAvailableAsFallback() {
        return current().isAvailableAsFallback(ticker.nanos());
    }

    /** See {@link HealthView#retryAfterNanos}. */
    public long retryAfterNanos() {
        return current().retryAfterNanos(ticker.nanos());
    }

    /** Verified, on the right chain, and not quarantined. */
    public boolean isHonestAndVerified() {
        return current().node().isHonestAndVerified(ticker.nanos());
    }

    /** The head the upstream reported last, or -1 when unknown. */
    public long head() {
        return current().node().head();
    }

    /** See {@link NodeState#highestHead()}. */
    public long highestHead() {
        return current().node().highestHead();
    }

    /** Nanoseconds since the upstream last reported its head; {@link Long#MAX_VALUE} if never. */
    public long headAgeNanos() {
        return current().node().headAgeNanos(ticker.nanos());
    }

    /** See {@link HealthView#score}. */
    public double score() {
        return endpoint.score();
    }

    public double errorRate() {
        return current().errorRate();
    }

    public int consecutiveFailures() {
        return current().consecutiveFailures();
    }

    public double slowStartShare() {
        return current().slowStartShare(ticker.nanos());
    }

    /** See {@link HealthView#hedgeDelayNanos}. */
    public long hedgeDelayNanos(long minNanos, long maxNanos) {
        return current().hedgeDelayNanos(minNanos, maxNanos);
    }

    public HealthState state() {
        return endpoint.state();
    }

    /** See {@link EndpointHealth#snapshot()}. */
    public HealthSnapshot snapshot() {
        return endpoint.snapshot();
    }
}
