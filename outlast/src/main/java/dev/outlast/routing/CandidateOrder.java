package dev.outlast.routing;

import java.util.List;

/**
 * The first pass over one request's candidates: the usable upstreams in selection order, then the
 * last resorts chosen by {@link Selector#candidates} (slightly behind, or down but honest, and any
 * usable upstream that did not admit the request), then the honest upstreams last seen far behind.
 * Those come only when a call has failed or the others cannot make up the quorum, so that they are
 * never asked just to hedge a call that is merely slow.
 *
 * <p>Not thread-safe: owned by one request's {@link Candidates}.
 */
final class CandidateOrder {

    private final List<ChainUpstream> primary;
    private final List<ChainUpstream> fallback;
    private final List<ChainUpstream> farBehind;
    private int nextPrimary;
    private int nextFallback;
    private int nextFarBehind;
    private int needed = 1;
    private boolean anyFailure;

    /** @param fallback mutable: a primary that does not admit the request moves there ({@link #demote}) */
    CandidateOrder(List<ChainUpstream> primary, List<ChainUpstream> fallback, List<ChainUpstream> farBehind) {
        this.primary = primary;
        this.fallback = fallback;
        this.farBehind = farBehind;
    }

    /** How many upstreams must answer; 1 by default. */
    void needs(int k) {
        needed = k;
    }

    /** A call failed: the upstreams far behind may now be offered. */
    void failed() {
        anyFailure = true;
    }

    /** How many distinct upstreams could be asked (the far-behind ones aside). */
    int distinct() {
        return primary.size() + fallback.size();
    }

    /** The next usable upstream, or null when all were offered. */
    ChainUpstream nextPrimary() {
        return nextPrimary < primary.size() ? primary.get(nextPrimary++) : null;
    }

    /** Offers {@code u}, a usable upstream that did not admit the request, among the last resorts. */
    void demote(ChainUpstream u) {
        fallback.add(u);
    }

    /** The next last resort, or null when all were offered. */
    ChainUpstream nextFallback() {
        return nextFallback < fallback.size() ? fallback.get(nextFallback++) : null;
    }

    /** The next upstream last seen far behind, or null when none is left or they are not open yet. */
    ChainUpstream nextFarBehind() {
        return farBehindOpen() && nextFarBehind < farBehind.size() ? farBehind.get(nextFarBehind++) : null;
    }

    /** True while an upstream of this pass has not been offered. */
    boolean notYetOffered() {
        return nextPrimary < primary.size() || nextFallback < fallback.size()
                || (farBehindOpen() && nextFarBehind < farBehind.size());
    }

    private boolean farBehindOpen() {
        return anyFailure || primary.size() + fallback.size() < needed;
    }
}
