package dev.outlast.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.outlast.rpc.OutlastError;
import dev.outlast.transport.FailureKind;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read served only when {@code k} independent upstreams return the same answer.
 *
 * <h2>Implementation note</h2>
 * {@code k} upstreams are asked at once, in the order of {@link Candidates} (usable ones first,
 * then last resorts, then one retry of a transient failure). Answers (results and deterministic
 * errors alike) are grouped by value; the first group to reach {@code k} members is served, and
 * every upstream that answered something else is outvoted. When the request is pinned to a
 * concrete block, honest upstreams cannot differ, so an outvoted upstream is quarantined; for
 * unpinned requests ({@code pending}) nobody is, and disagreeing upstreams are asked again after
 * {@link #REASK_DELAY} (at most {@link #MAX_ROUNDS} times, and before any failed upstream is
 * retried), since pending state differs for a moment while a transaction spreads. An answer to an
 * unpinned read from an upstream whose reported head is too far behind ({@link Candidates#behind})
 * is not a vote at all: it is the state of an old block; that upstream is asked again once its head
 * catches up. Whenever the groups plus the calls still running
 * cannot reach {@code k}, one more upstream is asked; a slow member is hedged like in
 * {@link FailoverCall}. When no upstream is left to ask and no group can reach {@code k}, the
 * client gets {@code no_quorum} (answers differed) or {@code all_upstreams_failed} (no answers):
 * never a guess. This deliberately does not weigh upstreams by reputation: one vote each.
 */
final class ConsensusCall extends RoutedCall {

    static final int MAX_ROUNDS = 3;
    static final Duration REASK_DELAY = Duration.ofMillis(100);

    private final int k;
    private final boolean serveShort;
    private final int spare;
    private int rounds;
    private final Map<JsonNode, List<UpstreamReply>> groups = new LinkedHashMap<>();
    private final java.util.Set<String> slow = new java.util.HashSet<>();
    private int asked;

    /**
     * @param serveShort when fewer than {@code k} upstreams can answer and those that did all
     *                   agree, serve their answer ({@code consensus.whenSingleUpstream: serve})
     */
    ConsensusCall(CallContext ctx, Candidates candidates, int k, boolean serveShort) {
        this(ctx, candidates, k, serveShort, 0);
    }

    /**
     * @param spare how many upstreams beyond {@code k} to ask at once, when usable ones are there:
     *              for a read every other read waits on (a block header shared by all the proofs
     *              at its block), one slow member should not hold up everyone for its hedge delay
     */
    ConsensusCall(CallContext ctx, Candidates candidates, int k, boolean serveShort, int spare) {
        super(ctx, candidates);
        this.k = k;
        this.serveShort = serveShort;
        this.spare = spare;
        candidates.needs(k);
    }

    @Override
    void begin() {
        while (spare > 0 && inFlight.size() < k + spare && launchNext()) {
            // k + spare asked at once; fillUp asks more only when they cannot make k
        }
        fillUp();
    }

    private boolean answered(String upstream) {
        for (List<UpstreamReply> g : groups.values()) {
            for (UpstreamReply r : g) {
                if (r.upstream().equals(upstream)) {
                    return true;
                }
            }
        }
        return false;
    }

    private int largestGroup() {
        int max = 0;
        for (List<UpstreamReply> g : groups.values()) {
            max = Math.max(max, g.size());
        }
        return max;
    }

    /** Calls in flight that are not (yet) slower than their hedge delay. */
    private int promisingInFlight() {
        int n = 0;
        for (String name : inFlight.keySet()) {
            if (!slow.contains(name)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Asks more upstreams until the best group could reach k without waiting on slow calls;
     * finishes when even the slow calls could not make it.
     */
    private void fillUp() {
        while (!isDone() && largestGroup() + promisingInFlight() < k) {
            if (groups.size() > 1 && inFlight.isEmpty() && !candidates.hasFresh() && reaskLater()) {
                // Pending state that differs settles within moments: ask the voters again before
                // spending the retry budget on an upstream that failed (a drill partition read
                // retried a resetting upstream for 900 ms, then found a voter resetting too).
                return;
            }
            if (!launchNext()) {
                // Nothing to ask now; an upstream may become askable shortly (a retry's pause
                // after a reset, a rate budget's next token): come back then rather than wait on
                // calls that are already slow.
                waitForCandidates(this::fillUp);
                break;
            }
        }
        if (!isDone() && largestGroup() + inFlight.size() < k) {
            if (serveShort && !inFlight.isEmpty() && groups.size() <= 1) {
                return;
            }
            if (waitForCandidates(this::fillUp)) {
                return;
            }
            finishWithoutQuorum();
        }
    }

    private boolean launchNext() {
        ChainUpstream candidate;
        while ((candidate = candidates.next()) != null) {
            if (inFlight.containsKey(candidate.name()) || answered(candidate.name())) {
                continue;
            }
            long remaining = ctx.remainingNanos();
            if (remaining <= 0) {
                return false;
            }
            ask(candidate, remaining);
            return true;
        }
        return false;
    }

    private void ask(ChainUpstream member, long remainingNanos) {
        asked++;
        slow.remove(member.name());
        launch(member, remainingNanos);
    }

    /**
     * Unpinned state ({@code pending}) legitimately differs between honest upstreams for a moment
     * while a transaction spreads: ask the same upstreams again shortly instead of giving up.
     */
    private boolean reaskLater() {
        if (ctx.pinned() || groups.size() < 2 || rounds >= MAX_ROUNDS
                || ctx.remainingNanos() < 2 * REASK_DELAY.toNanos()) {
            return false;
        }
        rounds++;
        List<String> answered = new ArrayList<>();
        groups.values().forEach(g -> g.forEach(r -> answered.add(r.upstream())));
        groups.clear();
        schedule(() -> reask(answered), REASK_DELAY.toNanos());
        return true;
    }

    private synchronized void reask(List<String> names) {
        if (isDone()) {
            return;
        }
        for (ChainUpstream u : ctx.chain().upstreams()) {
            long remaining = ctx.remainingNanos();
            if (names.contains(u.name()) && !inFlight.containsKey(u.name()) && remaining > 0) {
                ask(u, remaining);
            }
        }
        fillUp();
    }

    @Override
    void onSlow(ChainUpstream member) {
        slow.add(member.name());
        if (candidates.hasMore()) {
            ctx.chain().listener().onHedge(ctx.chain().id(), ctx.method(), member.name());
            fillUp();
        }
    }

    @Override
    void onReply(ChainUpstream from, UpstreamReply reply) {
        if (reply.isFailure()) {
            failures.add(reply);
            candidates.failed(from, reply);
            fillUp();
            return;
        }
        JsonNode key = reply.error() != null ? reply.error()
                       : reply.result() != null ? reply.result() : JsonNodeFactory.instance.nullNode();
        if (!ctx.pinned() && candidates.behind(from)) {
            // Pending state from a node far behind the head is an old block's (a nonce without
            // the transactions since): not a vote. It is asked again once its head catches up.
            failures.add(UpstreamReply.failure(from.name(), FailureKind.NODE_ERROR, "answered " + key
                    + " from block " + from.health().head() + ", too far behind the head to count as a vote",
                    reply.latencyNanos()));
            candidates.stale(from);
            fillUp();
            return;
        }
        List<UpstreamReply> group = groups.computeIfAbsent(key, x -> new ArrayList<>());
        group.add(reply);
        if (groups.size() > 1 && group.size() == 1) {
            ctx.chain().listener().onDisagreement(ctx.chain().id(), ctx.method());
        }
        if (group.size() >= k) {
            win(group);
            return;
        }
        fillUp();
    }

    private void win(List<UpstreamReply> winners) {
        List<String> names = winners.stream().map(UpstreamReply::upstream).toList();
        if (ctx.pinned()) {
            for (List<UpstreamReply> other : groups.values()) {
                if (other == winners) {
                    continue;
                }
                for (UpstreamReply liar : other) {
                    ctx.calls().quarantine(liar.upstream(), ctx.method() + " answer differed from " + names.size()
                            + " agreeing upstreams (" + String.join(", ", names) + ")");
                }
            }
        }
        finish(Attempts.answer(winners.get(0), names, names.size() + "/" + asked));
    }

    private void finishWithoutQuorum() {
        if (reaskLater()) {
            return;
        }
        if (serveShort && groups.size() == 1) {
            win(groups.values().iterator().next());
            return;
        }
        List<UpstreamReply> all = new ArrayList<>(failures);
        groups.values().forEach(all::addAll);
        if (groups.isEmpty() && inFlight.isEmpty()) {
            finish(Attempts.error(failures.isEmpty() ? OutlastError.NO_USABLE_UPSTREAM
                                                     : OutlastError.ALL_UPSTREAMS_FAILED,
                    failures.isEmpty() ? "No usable upstream for " + ctx.method()
                                       : "All upstreams failed for " + ctx.method(),
                    ctx.chain().id(), all, List.of()));
            return;
        }
        if (groups.size() <= 1) {
            finish(Attempts.error(OutlastError.NO_QUORUM,
                    "Too few upstreams could answer " + ctx.method() + ": " + k
                            + " must agree before a value that moves money is served",
                    ctx.chain().id(), all, List.of()));
            return;
        }
        finish(Attempts.error(OutlastError.NO_QUORUM,
                "Upstreams did not agree on " + ctx.method() + ": " + k + " matching answers needed, best was "
                        + largestGroup() + " of " + asked,
                ctx.chain().id(), all, List.of()));
    }

    @Override
    RpcOutcome deadlineOutcome() {
        List<UpstreamReply> all = new ArrayList<>(failures);
        groups.values().forEach(all::addAll);
        return Attempts.error(OutlastError.DEADLINE_EXCEEDED,
                "No agreement on " + ctx.method() + " within " + ctx.chain().config().requestTimeout().toMillis() + " ms",
                ctx.chain().id(), all, List.copyOf(inFlight.keySet()));
    }
}
