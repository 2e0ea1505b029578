package dev.outlast.routing.nonce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pending nonce served for a sender.
 *
 * <h2>Implementation note</h2>
 * From three things: {@code latest}, the sender's proven (or agreed) nonce at the served head;
 * {@code sent}, how many transactions Outlast itself broadcast for the sender, accepted by an
 * upstream and not yet mined, continue {@code latest} without a gap; and the upstreams' own
 * {@code pending} answers. The nonce is the highest of {@code latest + sent} and the answer that
 * {@code min(minAgree, counted)} upstreams reach (the k-th highest of the counted answers, so one
 * upstream alone cannot raise it while another answers lower). An answer counts when it lies in
 * {@code [latest, latest + AHEAD_LIMIT]}: below {@code latest} it is a lie (the caller quarantines
 * its upstream, {@link #isLie}); more than {@link #AHEAD_LIMIT} ahead is more transactions queued
 * behind the sender's nonce than a node's pool keeps for one sender, and is not believed. So the
 * nonce is never below the proven one, and never more than {@link #AHEAD_LIMIT} above it.
 *
 * <p>Stateless; thread-safe.
 */
final class PendingNonceRule {

    /** How far above the latest nonce an upstream's pending answer is believed. */
    static final long AHEAD_LIMIT = 64;

    /**
     * The nonce served and the rule that decided it.
     *
     * @param rule     {@code latest} (no pending transaction known), {@code sent} (raised by
     *                 Outlast's own broadcasts) or {@code upstream} (raised by upstreams' answers)
     * @param raisedBy the upstreams whose answers raised it ({@code upstream} only)
     */
    record Decision(long nonce, String rule, List<String> raisedBy) {
    }

    private PendingNonceRule() {
    }

    /** True when {@code answer}, an upstream's pending nonce, is below the proven {@code latest}. */
    static boolean isLie(long latest, long answer) {
        return answer < latest;
    }

    static Decision decide(long latest, int sent, Map<String, Long> answers, int minAgree) {
        List<Long> counted = new ArrayList<>();
        for (long a : answers.values()) {
            if (a >= latest && a - latest <= AHEAD_LIMIT) {
                counted.add(a);
            }
        }
        long own = latest + sent;
        if (!counted.isEmpty()) {
            counted.sort((a, b) -> Long.compare(b, a));
            long agreed = counted.get(Math.min(minAgree, counted.size()) - 1);
            if (agreed > own) {
                List<String> by = answers.entrySet().stream().filter(e -> e.getValue() >= agreed
                        && e.getValue() - latest <= AHEAD_LIMIT).map(Map.Entry::getKey).sorted().toList();
                return new Decision(agreed, "upstream", by);
            }
        }
        return new Decision(own, sent > 0 ? "sent" : "latest", List.of());
    }
}
