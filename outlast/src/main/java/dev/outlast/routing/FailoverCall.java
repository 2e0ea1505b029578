package dev.outlast.routing;

import dev.outlast.rpc.OutlastError;
import dev.outlast.upstream.FailureKind;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One request served by the first good answer among ordered upstreams.
 *
 * <h2>Implementation note</h2>
 * The first upstream is asked; a failure (any {@link dev.outlast.upstream.FailureKind}) moves on
 * to the next at once; if the upstream is slower than its own recent p90 (clamped to the hedging
 * bounds) the next is asked too, and the first answer wins while the others are cancelled. The
 * order and the last resorts (down but honest upstreams, one retry after a transient failure) are
 * {@link Candidates}'. A deterministic JSON-RPC error is an answer and ends the call.
 * The deadline ends everything with {@code deadline_exceeded}; running out of upstreams ends it
 * with {@code all_upstreams_failed}. All state changes happen under this object's monitor; no
 * callback blocks.
 */
final class FailoverCall {

    private final CallContext ctx;
    private final Candidates candidates;
    private final Function<UpstreamReply, String> validator;
    private final CompletableFuture<RpcOutcome> result = new CompletableFuture<>();
    private final Map<String, CompletableFuture<UpstreamReply>> inFlight = new LinkedHashMap<>();
    private final List<UpstreamReply> failures = new ArrayList<>();
    private boolean done;
    private ScheduledFuture<?> deadlineTimer;
    private ScheduledFuture<?> hedgeTimer;

    FailoverCall(CallContext ctx, Candidates candidates) {
        this(ctx, candidates, null);
    }

    /**
     * @param validator checks each result before it is served: null when it is right, else why it
     *                  is wrong; a wrong result quarantines its upstream and the next is asked
     */
    FailoverCall(CallContext ctx, Candidates candidates, Function<UpstreamReply, String> validator) {
        this.ctx = ctx;
        this.candidates = candidates;
        this.validator = validator;
    }

    CompletableFuture<RpcOutcome> start() {
        synchronized (this) {
            deadlineTimer = ctx.chain().scheduler().schedule(this::onDeadline, Math.max(0, ctx.remainingNanos()),
                    TimeUnit.NANOSECONDS);
            launchNext();
        }
        return result;
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
            CompletableFuture<UpstreamReply> call =
                    candidate.upstream().call(ctx.method(), ctx.params(),
                            Duration.ofNanos(Candidates.timeoutNanos(candidate, remaining)));
            ChainUpstream asked = candidate;
            inFlight.put(asked.name(), call);
            call.thenAccept(reply -> onReply(asked, reply));
            scheduleHedge(asked);
            return;
        }
        if (inFlight.isEmpty()) {
            finish(failures.isEmpty()
                   ? Attempts.simple(OutlastError.NO_USABLE_UPSTREAM,
                                     "No usable upstream for " + ctx.method(), ctx.chain().id())
                   : Attempts.error(OutlastError.ALL_UPSTREAMS_FAILED,
                                    "All upstreams failed for " + ctx.method(), ctx.chain().id(), failures, List.of()));
        }
    }

    private void scheduleHedge(ChainUpstream candidate) {
        if (hedgeTimer != null) {
            hedgeTimer.cancel(false);
            hedgeTimer = null;
        }
        if (!ctx.chain().hedging().enabled() || !candidates.hasMore()) {
            return;
        }
        long delay = candidate.health().hedgeDelayNanos(ctx.chain().hedging().minDelay().toNanos(),
                                                        ctx.chain().hedging().maxDelay().toNanos());
        hedgeTimer = ctx.chain().scheduler().schedule(() -> onHedge(candidate), delay, TimeUnit.NANOSECONDS);
    }

    private synchronized void onHedge(ChainUpstream slow) {
        if (done || !inFlight.containsKey(slow.name())) {
            return;
        }
        ctx.chain().listener().onHedge(ctx.chain().id(), ctx.method(), slow.name());
        launchNext();
    }

    private void onReply(ChainUpstream from, UpstreamReply reply) {
        ctx.chain().record(from, ctx.method(), reply);
        synchronized (this) {
            inFlight.remove(from.name());
            if (done) {
                return;
            }
            String wrong = reply.isAnswer() && reply.error() == null && validator != null ? validator.apply(reply) : null;
            if (wrong != null) {
                ctx.chain().quarantine(from.name(), wrong);
                reply = UpstreamReply.failure(from.name(), FailureKind.WRONG_ANSWER, wrong, reply.latencyNanos());
            }
            if (reply.isAnswer()) {
                finish(Attempts.answer(reply, List.of(from.name()), null));
                return;
            }
            failures.add(reply);
            candidates.failed(from, reply.failure());
            ctx.chain().listener().onFailover(ctx.chain().id(), ctx.method(), from.name());
            launchNext();
        }
    }

    private synchronized void onDeadline() {
        if (done) {
            return;
        }
        finish(Attempts.error(OutlastError.DEADLINE_EXCEEDED,
                "No answer for " + ctx.method() + " within " + ctx.chain().config().requestTimeout().toMillis() + " ms",
                ctx.chain().id(), failures, List.copyOf(inFlight.keySet())));
    }

    private void finish(RpcOutcome outcome) {
        done = true;
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
        }
        if (hedgeTimer != null) {
            hedgeTimer.cancel(false);
        }
        for (CompletableFuture<UpstreamReply> call : inFlight.values()) {
            call.cancel(false);
        }
        inFlight.clear();
        result.complete(outcome);
    }
}
