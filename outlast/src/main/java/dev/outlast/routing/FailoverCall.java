package dev.outlast.routing;

import dev.outlast.rpc.OutlastError;
import dev.outlast.transport.FailureKind;
import dev.outlast.upstream.UpstreamReply;
import java.util.List;
import java.util.function.Function;

/**
 * One request served by the first good answer among ordered upstreams.
 *
 * <h2>Implementation note</h2>
 * The first upstream is asked; a failure (any {@link dev.outlast.transport.FailureKind}) moves on
 * to the next at once; if the upstream is slower than its own recent p90 (clamped to the hedging
 * bounds) the next is asked too, and the first answer wins while the others are cancelled. Only
 * the most recently asked upstream is hedged, so hedges do not multiply. The order and the last
 * resorts (down but honest upstreams, retries after a transient failure) are {@link Candidates}'.
 * A deterministic JSON-RPC error is an answer and ends the call. An optional validator can reject
 * a result as wrong, which quarantines its upstream. The deadline ends everything with
 * {@code deadline_exceeded}; running out of upstreams ends it with {@code all_upstreams_failed}.
 */
final class FailoverCall extends RoutedCall {

    private final Function<UpstreamReply, String> validator;
    private ChainUpstream lastAsked;

    FailoverCall(CallContext ctx, Candidates candidates) {
        this(ctx, candidates, null);
    }

    /**
     * @param validator checks each result before it is served: null when it is right, else why it
     *                  is wrong; a wrong result quarantines its upstream and the next is asked
     */
    FailoverCall(CallContext ctx, Candidates candidates, Function<UpstreamReply, String> validator) {
        super(ctx, candidates);
        this.validator = validator;
    }

    @Override
    void begin() {
        launchNext();
    }

    /** Launches the next admissible candidate; completes the call when none is left and none runs. */
    private void launchNext() {
        ChainUpstream candidate;
        while ((candidate = candidates.next()) != null) {
            if (inFlight.containsKey(candidate.name())) {
                continue;
            }
            long remaining = ctx.remainingNanos();
            if (remaining <= 0) {
                break;
            }
            lastAsked = candidate;
            launch(candidate, remaining);
            return;
        }
        // Nothing to ask now. An upstream may become askable shortly (a retry's pause after a
        // reset, a rate budget's next token): come back then, even while a slow call is in flight.
        if (!waitForCandidates(this::launchNext) && inFlight.isEmpty()) {
            finish(failures.isEmpty()
                   ? RpcOutcome.error(OutlastError.NO_USABLE_UPSTREAM,
                                     "No usable upstream for " + ctx.method(), ctx.chain().id())
                   : Attempts.error(OutlastError.ALL_UPSTREAMS_FAILED,
                                    "All upstreams failed for " + ctx.method(), ctx.chain().id(), failures, List.of()));
        }
    }

    @Override
    void onSlow(ChainUpstream member) {
        if (member == lastAsked && candidates.hasMore()) {
            ctx.chain().listener().onHedge(ctx.chain().id(), ctx.method(), member.name());
            launchNext();
        }
    }

    @Override
    void onReply(ChainUpstream from, UpstreamReply reply) {
        String wrong = reply.isAnswer() && reply.error() == null && validator != null ? validator.apply(reply) : null;
        UpstreamReply judged = wrong == null ? reply
                : UpstreamReply.failure(from.name(), FailureKind.WRONG_ANSWER, wrong, reply.latencyNanos());
        if (wrong != null) {
            ctx.calls().quarantine(from.name(), wrong);
        }
        if (judged.isAnswer()) {
            finish(Attempts.answer(judged, List.of(from.name()), null));
            return;
        }
        failures.add(judged);
        candidates.failed(from, judged);
        ctx.chain().listener().onFailover(ctx.chain().id(), ctx.method(), from.name());
        launchNext();
    }

    @Override
    RpcOutcome deadlineOutcome() {
        return Attempts.error(OutlastError.DEADLINE_EXCEEDED,
                "No answer for " + ctx.method() + " within " + ctx.chain().config().requestTimeout().toMillis() + " ms",
                ctx.chain().id(), failures, List.copyOf(inFlight.keySet()));
    }
}
