package dev.outlast.routing;

import dev.outlast.routing.retry.RetryPolicy;
import dev.outlast.time.Ticker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Orders a chain's usable upstreams for one request.
 *
 * <h2>Implementation note</h2>
 * The first upstream is drawn at random with weight {@code share / score^2}, where score is the
 * upstream's latency inflated by its error rate and share its slow-start ramp: the fastest,
 * healthiest upstream gets most traffic, the others enough to keep their statistics fresh, and a
 * recovering upstream gets a growing share rather than everything at once. The rest follow by
 * ascending score, which is the failover and hedging order. Upstreams that are not usable
 * (down, quarantined, rate limited, misconfigured) or do not have the pinned block are left out.
 *
 * <p>Thread-safe (stateless).
 */
final class Selector {

    private Selector() {
    }

    /**
     * The candidates for one request: usable upstreams known to have block {@code minHead} (-1:
     * any) in the order to try them; then, as last resorts, usable upstreams whose last reported
     * head is at most {@code maxBehind} blocks short of it (their head is only polled, so they
     * have probably moved on; one that has not answers "header not found", never a wrong value
     * for a numbered block), then upstreams whose circuit is open but which are still honest, and
     * last (only when a call failed or the others cannot make a quorum, see {@link Candidates}) every
     * other honest upstream whatever its last reported head. That head is only as fresh
     * as the last head poll that succeeded: an upstream back from a black hole, or whose lag has just
     * ended, is further along than the gateway knows, and one that really lacks the block answers
     * "header not found" (a failure), not a value. Retries follow {@code policy}; its pauses and
     * waits are measured by {@code ticker}, the chain's.
     */
    static Candidates candidates(List<ChainUpstream> upstreams, long minHead, long maxBehind, RetryPolicy policy,
                                 Ticker ticker) {
        List<ChainUpstream> behind = new ArrayList<>();
        List<ChainUpstream> down = new ArrayList<>();
        List<ChainUpstream> farBehind = new ArrayList<>();
        List<ChainUpstream> limited = new ArrayList<>();
        for (ChainUpstream u : upstreams) {
            long had = u.health().highestHead();
            boolean hasBlock = minHead < 0 || had >= minHead;
            boolean nearly = minHead >= 0 && had >= 0 && minHead - had <= maxBehind;
            if (u.health().isUsable()) {
                if (!hasBlock && nearly) {
                    behind.add(u);
                } else if (!hasBlock) {
                    farBehind.add(u);
                }
            } else if (u.health().isAvailableAsFallback()) {
                (hasBlock || nearly ? down : farBehind).add(u);
            } else if (u.health().retryAfterNanos() > 0) {
                limited.add(u);
            }
        }
        behind.sort(Comparator.comparingLong((ChainUpstream u) -> -u.health().highestHead()));
        down.sort(Comparator.comparingDouble(u -> u.health().score()));
        farBehind.sort(Comparator.comparingLong((ChainUpstream u) -> -u.health().highestHead()));
        behind.addAll(down);
        Candidates candidates = new Candidates(policy, order(upstreams, minHead), behind, farBehind, ticker);
        candidates.rateLimited(limited);
        candidates.block(minHead, maxBehind);
        return candidates;
    }

    /** True when {@code u} is usable and known to have block {@code minHead} (-1: any). */
    static boolean usableAt(ChainUpstream u, long minHead) {
        return u.health().isUsable() && (minHead < 0 || u.health().highestHead() >= minHead);
    }

    /** Usable upstreams having at least block {@code minHead} (-1: any), in the order to try them. */
    static List<ChainUpstream> order(List<ChainUpstream> upstreams, long minHead) {
        List<ChainUpstream> usable = new ArrayList<>(upstreams.size());
        for (ChainUpstream u : upstreams) {
            if (usableAt(u, minHead)) {
                usable.add(u);
            }
        }
        if (usable.size() <= 1) {
            return usable;
        }
        double[] scores = new double[usable.size()];
        double[] weights = new double[usable.size()];
        double total = 0;
        for (int i = 0; i < usable.size(); i++) {
            scores[i] = usable.get(i).health().score();
            weights[i] = usable.get(i).health().slowStartShare() / (scores[i] * scores[i]);
            total += weights[i];
        }
        double draw = ThreadLocalRandom.current().nextDouble() * total;
        int first = usable.size() - 1;
        for (int i = 0; i < usable.size(); i++) {
            draw -= weights[i];
            if (draw < 0) {
                first = i;
                break;
            }
        }
        ChainUpstream head = usable.get(first);
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < usable.size(); i++) {
            if (i != first) {
                rest.add(i);
            }
        }
        rest.sort(Comparator.comparingDouble(i -> scores[i]));
        List<ChainUpstream> ordered = new ArrayList<>(usable.size());
        ordered.add(head);
        for (int i : rest) {
            ordered.add(usable.get(i));
        }
        return ordered;
    }
}
