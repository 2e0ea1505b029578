package dev.outlast.routing;

import dev.outlast.health.HealthView;
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

    private static final Comparator<ChainUpstream> HIGHEST_HEAD_FIRST =
            Comparator.comparingLong((ChainUpstream u) -> -u.health().highestHead());

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
        long now = ticker.nanos();
        List<ChainUpstream> behind = new ArrayList<>();
        List<ChainUpstream> down = new ArrayList<>();
        List<ChainUpstream> farBehind = new ArrayList<>();
        List<ChainUpstream> limited = new ArrayList<>();
        for (ChainUpstream u : upstreams) {
            HealthView h = u.health().current();
            long had = h.node().highestHead();
            boolean hasBlock = minHead < 0 || had >= minHead;
            boolean nearly = minHead >= 0 && had >= 0 && minHead - had <= maxBehind;
            if (h.isUsable(now)) {
                if (!hasBlock && nearly) {
                    behind.add(u);
                } else if (!hasBlock) {
                    farBehind.add(u);
                }
            } else if (h.isAvailableAsFallback(now)) {
                (hasBlock || nearly ? down : farBehind).add(u);
            } else if (h.retryAfterNanos(now) > 0) {
                limited.add(u);
            }
        }
        if (behind.size() > 1) {
            behind.sort(HIGHEST_HEAD_FIRST);
        }
        if (down.size() > 1) {
            down.sort(Comparator.comparingDouble(u -> u.health().current().score(now)));
        }
        if (farBehind.size() > 1) {
            farBehind.sort(HIGHEST_HEAD_FIRST);
        }
        if (!down.isEmpty()) {
            behind.addAll(down);
        }
        Candidates candidates = new Candidates(policy, order(upstreams, minHead, now), behind, farBehind, ticker);
        candidates.rateLimited(limited);
        candidates.block(minHead, maxBehind);
        return candidates;
    }

    /** True when {@code u} is usable at {@code now} and known to have block {@code minHead} (-1: any). */
    static boolean usableAt(ChainUpstream u, long minHead, long now) {
        HealthView h = u.health().current();
        return h.isUsable(now) && (minHead < 0 || h.node().highestHead() >= minHead);
    }

    /** Usable upstreams having at least block {@code minHead} (-1: any) at {@code now}, in the order to try them. */
    static List<ChainUpstream> order(List<ChainUpstream> upstreams, long minHead, long now) {
        List<ChainUpstream> usable = new ArrayList<>(upstreams.size());
        for (ChainUpstream u : upstreams) {
            if (usableAt(u, minHead, now)) {
                usable.add(u);
            }
        }
        int n = usable.size();
        if (n <= 1) {
            return usable;
        }
        double[] scores = new double[n];
        double[] weights = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            HealthView h = usable.get(i).health().current();
            scores[i] = h.score(now);
            weights[i] = h.slowStartShare(now) / (scores[i] * scores[i]);
            total += weights[i];
        }
        double draw = ThreadLocalRandom.current().nextDouble() * total;
        int first = n - 1;
        for (int i = 0; i < n; i++) {
            draw -= weights[i];
            if (draw < 0) {
                first = i;
                break;
            }
        }
        List<ChainUpstream> ordered = new ArrayList<>(n);
        ordered.add(usable.get(first));
        int[] rest = new int[n - 1];
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (i == first) {
                continue;
            }
            int at = size++;
            while (at > 0 && Double.compare(scores[rest[at - 1]], scores[i]) > 0) {
                rest[at] = rest[at - 1];
                at--;
            }
            rest[at] = i;
        }
        for (int i : rest) {
            ordered.add(usable.get(i));
        }
        return ordered;
    }
}
